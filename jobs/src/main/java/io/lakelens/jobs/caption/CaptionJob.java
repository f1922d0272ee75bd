package io.lakelens.jobs.caption;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;

import io.lakelens.jobs.inference.ChunkedImageJob;
import io.lakelens.jobs.inference.ModelRef;
import io.lakelens.jobs.runs.JobRun;
import io.lakelens.jobs.spark.HadoopConf;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.tables.LakelensTables;
import io.lakelens.models.checkpoint.CheckpointFolder;
import io.lakelens.models.generation.GenerationConfig;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code lakelens caption}: BLIP captions of a dataset into {@code generated_captions}, one row per
 * (model_id, decoding options, image_id), generated only where none exists yet.
 */
public final class CaptionJob {

    /**
     * Options of a run.
     *
     * @param dataset the dataset
     * @param model a BLIP captioning folder or {@code hf://} spec
     * @param device {@code auto}, {@code cpu} or {@code cuda:N}
     * @param generation decoding options
     * @param batchSize images per generate call
     * @param chunkSize images per commit
     * @param retryQuarantined retry images quarantined by an earlier run
     */
    public record Options(String dataset, String model, String device, GenerationConfig generation, int batchSize,
            int chunkSize, boolean retryQuarantined) {}

    static final StructType RESULT = new StructType()
            .add("caption", DataTypes.StringType, true)
            .add("token_count", DataTypes.IntegerType, true)
            .add("token_ids", DataTypes.createArrayType(DataTypes.IntegerType, false), true)
            .add("score", DataTypes.DoubleType, true);

    private final LakelensSession session;

    public CaptionJob(LakelensSession session) {
        this.session = session;
    }

    /** The canonical decoding string stored with the captions of these options. */
    public static String decoding(GenerationConfig config) {
        return DecodingString.of(config);
    }

    public ChunkedImageJob.Result run(Options o, PrintStream out) {
        ModelRef model = ModelRef.resolve(session.spark(), o.model());
        CheckpointFolder.open(model.driverFolder()).requireModelType("blip", "lakelens caption");
        String decoding = DecodingString.of(o.generation());
        JobRun run = JobRun.start(session, "caption", o.dataset(), model.modelId(), parameters(o, decoding));
        try {
            HadoopConf hadoopConf = HadoopConf.of(session.spark().sparkContext().hadoopConfiguration());
            String modelId = model.modelId();
            ChunkedImageJob.Spec spec = new ChunkedImageJob.Spec(
                    "caption", o.dataset(), modelId, LakelensTables.GENERATED_CAPTIONS,
                    "model_id = '" + modelId.replace("'", "''") + "' AND decoding = '" + decoding.replace("'", "''") + "'",
                    RESULT,
                    progress -> new CaptionPartition(model, o.device(), o.generation(), o.batchSize(), hadoopConf, progress),
                    done -> done.select(col("image_id"), lit(modelId).as("model_id"), lit(decoding).as("decoding"),
                            col("caption"), col("token_count"), col("token_ids"), col("score"),
                            current_timestamp().as("created_at")),
                    o.chunkSize(), o.batchSize(), o.retryQuarantined());
            ChunkedImageJob.Result r = new ChunkedImageJob(session).run(spec, run.runId(), out);
            run.count("input", r.input()).count("written", r.written()).count("already_done", r.alreadyDone())
                    .count("quarantined", r.quarantined()).count("chunks", r.chunks());
            run.succeed(r.written() + r.quarantinedNow());
            return r;
        } catch (RuntimeException e) {
            run.fail(e);
            throw e;
        }
    }

    private static Map<String, String> parameters(Options o, String decoding) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("dataset", o.dataset());
        p.put("model", o.model());
        p.put("device", o.device());
        p.put("decoding", decoding);
        p.put("batch_size", Integer.toString(o.batchSize()));
        p.put("chunk_size", Integer.toString(o.chunkSize()));
        p.put("retry_quarantined", Boolean.toString(o.retryQuarantined()));
        return p;
    }
}
