package io.lakelens.jobs.caption;

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
import io.lakelens.models.blip.BlipCaptioner;
import io.lakelens.models.blip.Caption;
import io.lakelens.models.checkpoint.CheckpointFolder;
import io.lakelens.models.generation.GenerationConfig;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code lakelens caption}: BLIP captions of a dataset into {@code generated_captions}, one row per
 * (model_id, decoding options, image_id), generated only where none exists yet.
 */
public final class CaptionJob {

    /**
     * Options of a run (checked when built, see {@link ImageJobOptions}).
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
            int chunkSize, boolean retryQuarantined) implements ImageJobOptions {
        public Options {
            ImageJobOptions.check(dataset, model, device, batchSize, chunkSize);
            java.util.Objects.requireNonNull(generation, "generation");
        }
    }

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
        String modelId = model.modelId();
        ChunkedImageJob.Spec<Caption> spec = ChunkedImageJob.Spec.<Caption>builder("caption", modelId, o)
                .output(LakelensTables.GENERATED_CAPTIONS,
                        "model_id = '" + modelId.replace("'", "''") + "' AND decoding = '" + decoding.replace("'", "''") + "'")
                .executors(RESULT, new CaptionImages(model, o.device(), o.generation()))
                .toOutputRows(done -> done.select(col("image_id"), lit(modelId).as("model_id"),
                        lit(decoding).as("decoding"), col("caption"), col("token_count"), col("token_ids"), col("score"),
                        current_timestamp().as("created_at")))
                .build();
        return JobRun.execute(session, "caption", o.dataset(), modelId, parameters(o, decoding),
                run -> new ChunkedImageJob(session).run(spec, run, out));
    }

    /**
     * Executor side: batches through this executor's shared BLIP captioner. Sampling seeds are derived
     * from (seed, image_id), so an image's caption does not depend on how the images were partitioned
     * or batched.
     */
    private record CaptionImages(ModelRef model, String device, GenerationConfig config)
            implements ImageBatchPartition.Job<Caption> {
        @Override
        public ImageBatches.Model<Row, Caption> open() {
            BlipCaptioner blip = ExecutorModels.blip(model, device);
            return new ImageBatches.Model<>(blip.processor().pixelsPerImage(), blip.processor()::preprocessInto,
                    (pixels, images) -> blip.generate(pixels, images.size(), config, seeds(images)));
        }

        private long[] seeds(List<Row> images) {
            long[] seeds = new long[images.size()];
            for (int i = 0; i < seeds.length; i++) {
                seeds[i] = seedFor(images.get(i).getAs("image_id"));
            }
            return seeds;
        }

        /** A per-image seed: the user's seed mixed with the image id (SplitMix64 finaliser). */
        private long seedFor(String imageId) {
            long z = config.seed() ^ imageId.hashCode() * 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        @Override
        public Object[] columns(Row image, Caption c) {
            return new Object[] {c.text(), c.newTokens(), c.tokenIds(), Double.isNaN(c.score()) ? null : c.score()};
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
