package io.lakelens.jobs.embed;

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
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code lakelens embed}: CLIP image embeddings of a dataset into {@code image_embeddings}, one row
 * per (model_id, image_id), computed only for images that have none yet.
 */
public final class EmbedJob {

    /**
     * Options of a run.
     *
     * @param dataset the dataset
     * @param model a CLIP folder or {@code hf://} spec
     * @param device {@code auto}, {@code cpu} or {@code cuda:N} (a task's assigned GPU wins)
     * @param batchSize images per model call
     * @param chunkSize images per commit
     * @param retryQuarantined retry images quarantined by an earlier run
     */
    public record Options(String dataset, String model, String device, int batchSize, int chunkSize, boolean retryQuarantined) {}

    static final StructType RESULT = new StructType()
            .add("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), true)
            .add("dim", DataTypes.IntegerType, true);

    private final LakelensSession session;

    public EmbedJob(LakelensSession session) {
        this.session = session;
    }

    public ChunkedImageJob.Result run(Options o, PrintStream out) {
        ModelRef model = ModelRef.resolve(session.spark(), o.model());
        // Fail on the driver, before any Spark job, if this is not a CLIP checkpoint.
        CheckpointFolder.open(model.driverFolder()).requireModelType("clip", "lakelens embed");
        JobRun run = JobRun.start(session, "embed", o.dataset(), model.modelId(), parameters(o));
        try {
            HadoopConf hadoopConf = HadoopConf.of(session.spark().sparkContext().hadoopConfiguration());
            String modelId = model.modelId();
            ChunkedImageJob.Spec spec = new ChunkedImageJob.Spec(
                    "embed", o.dataset(), modelId, LakelensTables.IMAGE_EMBEDDINGS,
                    "model_id = '" + modelId.replace("'", "''") + "'",
                    RESULT,
                    progress -> new EmbedPartition(model, o.device(), o.batchSize(), hadoopConf, progress),
                    done -> done.select(col("image_id"), lit(modelId).as("model_id"), col("embedding"), col("dim"),
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

    private static Map<String, String> parameters(Options o) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("dataset", o.dataset());
        p.put("model", o.model());
        p.put("device", o.device());
        p.put("batch_size", Integer.toString(o.batchSize()));
        p.put("chunk_size", Integer.toString(o.chunkSize()));
        p.put("retry_quarantined", Boolean.toString(o.retryQuarantined()));
        return p;
    }
}
