package io.lakelens.jobs.embed;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;

import io.lakelens.jobs.JobOptions;
import io.lakelens.jobs.inference.ModelRef;
import io.lakelens.jobs.inference.Progress;
import io.lakelens.jobs.runs.JobRun;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.tables.DeltaMerge;
import io.lakelens.jobs.tables.LakelensTables;
import io.lakelens.models.checkpoint.CheckpointFolder;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code lakelens embed-text}: CLIP text embeddings of the texts of a file or table into
 * {@code text_embeddings}, one row per (model_id, text_id) where text_id is the SHA-256 of the text.
 * Repeated texts are embedded once; texts already embedded by this model are not recomputed.
 */
public final class EmbedTextJob {

    /**
     * Options of a run.
     *
     * @param input a table name (e.g. {@code lakelens.reference_captions}) or a file/folder path
     * @param column the text column; null for the default ({@code text}, or each line of a .txt)
     * @param model a CLIP folder or {@code hf://} spec
     * @param device {@code auto}, {@code cpu} or {@code cuda:N}
     * @param batchSize texts per model call
     */
    public record Options(String input, String column, String model, String device, int batchSize) {
        public Options {
            if (input == null || input.isBlank()) {
                throw new IllegalArgumentException("--input is empty: give a table or a file");
            }
            JobOptions.model(model);
            JobOptions.device(device);
            JobOptions.batchSize(batchSize);
        }
    }

    /** Counts of a run: {@code input = nulls + duplicates + alreadyDone + written}. */
    public record Result(long input, long nulls, long duplicates, long alreadyDone, long written, double seconds) {
        public String summary() {
            return String.format(Locale.ROOT,
                    "embed-text: input %d = written %d + already done %d + repeated %d + NULL %d; %.1f s (%.1f texts/s)",
                    input, written, alreadyDone, duplicates, nulls, seconds, seconds > 0 ? written / seconds : 0.0);
        }
    }

    private static final StructType EMBEDDED = new StructType()
            .add("text_id", DataTypes.StringType, false)
            .add("text", DataTypes.StringType, false)
            .add("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("dim", DataTypes.IntegerType, false);

    private final LakelensSession session;

    public EmbedTextJob(LakelensSession session) {
        this.session = session;
    }

    public Result run(Options o, PrintStream out) {
        long start = System.nanoTime();
        SparkSession spark = session.spark();
        ModelRef model = ModelRef.resolve(spark, o.model());
        CheckpointFolder.open(model.driverFolder()).requireModelType("clip", "lakelens embed-text");
        Dataset<Row> texts = TextInput.read(session, o.input(), o.column());
        return JobRun.execute(session, "embed-text", null, model.modelId(), parameters(o),
                run -> embed(o, model, texts, run, start, out));
    }

    private Result embed(Options o, ModelRef model, Dataset<Row> texts, JobRun run, long start, PrintStream out) {
        SparkSession spark = session.spark();
        Dataset<Row> embedded = null;
        try {
            spark.sparkContext().setJobDescription("embed-text " + o.input() + ": counting texts");
            long input = texts.count();
            Dataset<Row> keyed = texts.where(col("text").isNotNull())
                    .select(sha2(col("text").cast("binary"), 256).as("text_id"), col("text"));
            long nonNull = keyed.count();
            Dataset<Row> distinct = keyed.dropDuplicates("text_id");
            long distinctCount = distinct.count();
            session.catalog().ensure(LakelensTables.TEXT_EMBEDDINGS);
            Dataset<Row> done = spark.table(LakelensTables.TEXT_EMBEDDINGS.qualifiedName())
                    .where(col("model_id").equalTo(model.modelId())).select("text_id");
            Dataset<Row> todo = distinct.join(done, distinct.col("text_id").equalTo(done.col("text_id")), "left_anti");
            long todoCount = todo.count();
            out.printf("embed-text: %d texts in %s, %d distinct, %d already embedded by %s, %d to do%n",
                    input, o.input(), distinctCount, distinctCount - todoCount, model.modelId(), todoCount);
            out.flush();
            long written = 0;
            if (todoCount > 0) {
                try (Progress progress = new Progress(spark.sparkContext(), "embed-text", "texts", todoCount, out,
                        Duration.ofSeconds(10))) {
                    spark.sparkContext().setJobDescription("embed-text " + o.input() + ": embedding " + todoCount
                            + " texts with " + model.modelId());
                    // Persisted so the MERGE below does not run the model a second time.
                    embedded = todo.mapPartitions(
                                    new EmbedTextPartition(model, o.device(), o.batchSize(), progress.accumulator()),
                                    Encoders.row(EMBEDDED))
                            .persist(StorageLevel.MEMORY_AND_DISK());
                    embedded.count();
                    spark.sparkContext().setJobDescription("embed-text " + o.input() + ": writing text_embeddings");
                    written = DeltaMerge.insertNew(spark, session.catalog(), LakelensTables.TEXT_EMBEDDINGS,
                            embedded.select(col("text_id"), col("text"), lit(model.modelId()).as("model_id"),
                                    col("embedding"), col("dim"), lit(o.input()).as("source"),
                                    current_timestamp().as("created_at")),
                            "t.model_id = '" + model.modelId().replace("'", "''") + "'").inserted();
                }
            }
            // A concurrent run may have written some of the same texts: they count as already done.
            long alreadyDone = distinctCount - written;
            Result r = new Result(input, input - nonNull, nonNull - distinctCount, alreadyDone, written,
                    (System.nanoTime() - start) / 1e9);
            run.count("input", r.input()).count("written", r.written()).count("already_done", r.alreadyDone())
                    .count("repeated", r.duplicates()).count("null", r.nulls()).items(written);
            return r;
        } finally {
            if (embedded != null) {
                embedded.unpersist();
            }
        }
    }

    private static Map<String, String> parameters(Options o) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("input", o.input());
        p.put("column", o.column() == null ? "" : o.column());
        p.put("model", o.model());
        p.put("device", o.device());
        p.put("batch_size", Integer.toString(o.batchSize()));
        return p;
    }
}
