package io.lakelens.jobs.inference;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import io.lakelens.jobs.LakelensException;
import io.lakelens.jobs.runs.Quarantine;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.tables.DeltaMerge;
import io.lakelens.jobs.tables.LakelensTables;
import io.lakelens.jobs.tables.TableSpec;
import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Function;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * The driver side shared by the model jobs (embed, caption): find the dataset's images that have no
 * result yet for this model (and options), cut them into chunks, run the model over each chunk in
 * executors and MERGE the chunk's results before starting the next. A crash loses at most the chunk
 * in flight; a rerun skips what was committed; nothing is ever appended blindly.
 */
public final class ChunkedImageJob {

    /** Test hook: die after this many committed chunks, to prove that a rerun completes the job. */
    public static final String FAIL_AFTER_CHUNKS_CONF = "spark.lakelens.debug.failAfterChunks";

    /**
     * What a model job needs to say.
     *
     * @param job job name, e.g. {@code embed}
     * @param dataset the dataset
     * @param modelId the model's stable id
     * @param output the results table
     * @param doneCondition SQL condition on the output table selecting this model's (and options')
     *     finished rows, e.g. {@code model_id = '...'}
     * @param resultSchema the result columns the partition function adds to {@link BatchOutcome}
     * @param partition makes the executor-side function (image rows (image_id, uri, content) in,
     *     outcome rows out) that adds each finished image to the given progress accumulator
     * @param toOutputRows outcome rows with a result to rows of the output table
     * @param chunkSize images per committed chunk
     * @param batchSize images per model call (sets the partition size)
     * @param retryQuarantined whether images quarantined by an earlier run of this job and model are tried again
     */
    public record Spec(
            String job,
            String dataset,
            String modelId,
            TableSpec output,
            String doneCondition,
            StructType resultSchema,
            Function<LongAccumulator, MapPartitionsFunction<Row, Row>> partition,
            Function<Dataset<Row>, Dataset<Row>> toOutputRows,
            int chunkSize,
            int batchSize,
            boolean retryQuarantined) {}

    /**
     * Counts of a run: {@code input = written + alreadyDone + quarantined}, where quarantined counts
     * images quarantined by this run and, unless retried, by earlier runs of the same job and model.
     */
    public record Result(
            long input, long written, long alreadyDone, long quarantined, long quarantinedNow, long chunks, double seconds) {
        /** Images processed (written or newly quarantined) per second of the run. */
        public double imagesPerSecond() {
            return seconds > 0 ? (written + quarantinedNow) / seconds : 0;
        }

        /** The line the CLI prints; the equation always holds. */
        public String summary(String job) {
            return String.format(java.util.Locale.ROOT,
                    "%s: input %d = written %d + already done %d + quarantined %d (%d new); %.1f images/s over %.1f s",
                    job, input, written, alreadyDone, quarantined, quarantinedNow, imagesPerSecond(), seconds);
        }
    }

    private final LakelensSession session;

    public ChunkedImageJob(LakelensSession session) {
        this.session = session;
    }

    /**
     * Runs the job.
     *
     * @param spec what to run
     * @param runId the job_runs id, stored with quarantined rows
     * @param out where the progress line goes
     */
    public Result run(Spec spec, String runId, PrintStream out) {
        long start = System.nanoTime();
        Plan plan = plan(spec);
        out.printf("%s: %d images in dataset %s, %d already done, %d quarantined earlier, %d to do%n",
                spec.job(), plan.input(), spec.dataset(), plan.alreadyDone(), plan.quarantinedBefore(), plan.todoCount());
        out.flush();
        try (Progress progress = new Progress(
                session.spark().sparkContext(), spec.job(), "images", plan.todoCount(), out, Duration.ofSeconds(10))) {
            long[] writtenAndQuarantined = runChunks(spec, plan, progress, runId, out);
            return new Result(plan.input(), writtenAndQuarantined[0], plan.alreadyDone(),
                    plan.quarantinedBefore() + writtenAndQuarantined[1], writtenAndQuarantined[1], plan.chunks(),
                    (System.nanoTime() - start) / 1e9);
        } finally {
            session.spark().sparkContext().setJobDescription(null);
        }
    }

    /** The images still to do, and how the rest divides into done and quarantined earlier. */
    private record Plan(Dataset<Row> todo, long input, long alreadyDone, long quarantinedBefore, long todoCount, long chunks) {}

    private Plan plan(Spec spec) {
        SparkSession spark = session.spark();
        if (!session.catalog().exists(LakelensTables.IMAGES)) {
            throw new LakelensException("there are no images yet: run `lakelens ingest --dataset "
                    + spec.dataset() + " --source ...` first");
        }
        Dataset<Row> input = spark.table(LakelensTables.IMAGES.qualifiedName())
                .where(col("dataset").equalTo(spec.dataset()))
                .select("image_id", "uri", "content");
        setDescription(spec, "counting images");
        long inputCount = input.count();
        if (inputCount == 0) {
            throw new LakelensException("dataset '" + spec.dataset() + "' has no images in "
                    + LakelensTables.IMAGES.qualifiedName());
        }
        session.catalog().ensure(spec.output());
        Dataset<Row> done = spark.table(spec.output().qualifiedName()).where(spec.doneCondition()).select("image_id");
        Dataset<Row> todo = input.join(done, input.col("image_id").equalTo(done.col("image_id")), "left_anti");
        long quarantinedBefore = 0;
        if (!spec.retryQuarantined() && session.catalog().exists(LakelensTables.QUARANTINE)) {
            Dataset<Row> failed = spark.table(LakelensTables.QUARANTINE.qualifiedName())
                    .where(col("job").equalTo(spec.job()).and(col("model_id").equalTo(spec.modelId())))
                    .select("image_id").where(col("image_id").isNotNull()).distinct();
            quarantinedBefore = todo.join(failed, todo.col("image_id").equalTo(failed.col("image_id")), "left_semi").count();
            todo = todo.join(failed, todo.col("image_id").equalTo(failed.col("image_id")), "left_anti");
        }
        long todoCount = todo.count();
        long chunks = todoCount == 0 ? 0 : (todoCount + spec.chunkSize() - 1) / spec.chunkSize();
        return new Plan(todo, inputCount, inputCount - todoCount - quarantinedBefore, quarantinedBefore, todoCount, chunks);
    }

    /** Runs and commits chunk after chunk; returns {written, newly quarantined}. */
    private long[] runChunks(Spec spec, Plan plan, Progress progress, String runId, PrintStream out) {
        SparkSession spark = session.spark();
        MapPartitionsFunction<Row, Row> partition = spec.partition().apply(progress.accumulator());
        long failAfter = Long.parseLong(spark.conf().get(FAIL_AFTER_CHUNKS_CONF, "-1"));
        StructType outcomeSchema = BatchOutcome.schema(spec.resultSchema());
        long written = 0;
        long quarantined = 0;
        long chunks = plan.chunks();
        for (long k = 0; k < chunks; k++) {
            setDescription(spec, "chunk " + (k + 1) + "/" + chunks + " (model " + spec.modelId() + ")");
            Dataset<Row> chunk = chunks == 1 ? plan.todo()
                    : plan.todo().where(pmod(xxhash64(col("image_id")), lit(chunks)).equalTo(k));
            long expected = Math.max(1, plan.todoCount() / chunks);
            int partitions = (int) Math.max(1, Math.min(expected / Math.max(1, spec.batchSize()),
                    spark.sparkContext().defaultParallelism() * 4L));
            Dataset<Row> outcomes = chunk.repartition(partitions)
                    .mapPartitions(partition, Encoders.row(outcomeSchema))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            try {
                written += DeltaMerge.insertNew(spark, session.catalog(), spec.output(),
                        spec.toOutputRows().apply(outcomes.where(col("reason_code").isNull()))).inserted();
                quarantined += Quarantine.write(session, outcomes.where(col("reason_code").isNotNull()).select(
                        lit(spec.job()).as("job"), col("stage"), lit(spec.dataset()).as("dataset"), col("uri"),
                        col("image_id"), lit(spec.modelId()).as("model_id"), col("reason_code"), col("reason"),
                        lit(runId).as("run_id"), current_timestamp().as("quarantined_at")));
            } finally {
                outcomes.unpersist();
            }
            out.println(progress.line());
            out.flush();
            if (failAfter >= 0 && k + 1 >= failAfter && k + 1 < chunks) {
                throw new IllegalStateException(FAIL_AFTER_CHUNKS_CONF + "=" + failAfter + ": stopping after "
                        + (k + 1) + " committed chunks (test hook)");
            }
        }
        return new long[] {written, quarantined};
    }

    private void setDescription(Spec spec, String what) {
        session.spark().sparkContext().setJobDescription(spec.job() + " " + spec.dataset() + ": " + what);
    }
}
