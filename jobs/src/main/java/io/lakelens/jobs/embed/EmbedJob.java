package io.lakelens.jobs.embed;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;

import io.lakelens.jobs.inference.ChunkedImageJob;
import io.lakelens.jobs.inference.ExecutorModels;
import io.lakelens.jobs.inference.ImageBatchPartition;
import io.lakelens.jobs.inference.ImageBatches;
import io.lakelens.jobs.inference.ImageJobOptions;
import io.lakelens.jobs.inference.ModelRef;
import io.lakelens.jobs.runs.JobRun;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.tables.LakelensTables;
import io.lakelens.models.checkpoint.CheckpointFolder;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code lakelens embed}: CLIP image embeddings of a dataset into {@code image_embeddings}, one row
 * per (model_id, image_id), computed only for images that have none yet.
 */
public final class EmbedJob {

    /**
     * Options of a run (checked when built, see {@link ImageJobOptions}).
     *
     * @param dataset the dataset
     * @param model a CLIP folder or {@code hf://} spec
     * @param device {@code auto}, {@code cpu} or {@code cuda:N} (a task's assigned GPU wins)
     * @param batchSize images per model call
     * @param chunkSize images per commit
     * @param retryQuarantined retry images quarantined by an earlier run
     */
    public record Options(String dataset, String model, String device, int batchSize, int chunkSize,
            boolean retryQuarantined) implements ImageJobOptions {
        public Options {
            ImageJobOptions.check(dataset, model, device, batchSize, chunkSize);
        }
    }

    static final StructType RESULT = new StructType()
            .add("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), true)
            .add("dim", DataTypes.IntegerType, true);

    private final LakelensSession session;
    private final ChunkedImageJob.ChunkListener afterChunk;

    public EmbedJob(LakelensSession session) {
        this(session, (committed, chunks) -> {});
    }

    /** @param afterChunk told after each committed chunk */
    public EmbedJob(LakelensSession session, ChunkedImageJob.ChunkListener afterChunk) {
        this.session = session;
        this.afterChunk = afterChunk;
    }

    public ChunkedImageJob.Result run(Options o, PrintStream out) {
        ModelRef model = ModelRef.resolve(session.spark(), o.model());
        // Fail on the driver, before any Spark job, if this is not a CLIP checkpoint.
        CheckpointFolder.open(model.driverFolder()).requireModelType("clip", "lakelens embed");
        String modelId = model.modelId();
        ChunkedImageJob.Spec<float[]> spec = ChunkedImageJob.Spec.<float[]>builder("embed", modelId, o)
                .output(LakelensTables.IMAGE_EMBEDDINGS, "model_id = '" + modelId.replace("'", "''") + "'")
                .executors(RESULT, new EmbedImages(model, o.device()))
                .toOutputRows(done -> done.select(col("image_id"), lit(modelId).as("model_id"), col("embedding"),
                        col("dim"), current_timestamp().as("created_at")))
                .build();
        return JobRun.execute(session, "embed", o.dataset(), modelId, parameters(o),
                run -> new ChunkedImageJob(session, afterChunk).run(spec, run, out));
    }

    /** Executor side: one pixel buffer per batch through this executor's shared CLIP model. */
    private record EmbedImages(ModelRef model, String device) implements ImageBatchPartition.Job<float[]> {
        @Override
        public ImageBatches.Model<Row, float[]> open() {
            return ImageBatches.clipEmbeddings(ExecutorModels.clip(model, device));
        }

        @Override
        public Object[] columns(Row image, float[] embedding) {
            return new Object[] {embedding, embedding.length};
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
