package io.lakelens.jobs.finetune;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import io.lakelens.finetune.AdamW;
import io.lakelens.finetune.ContrastiveTrainer;
import io.lakelens.finetune.FinetuneRun;
import io.lakelens.finetune.TowerLocking;
import io.lakelens.finetune.TrainingConfig;
import io.lakelens.jobs.JobOptions;
import io.lakelens.jobs.inference.BatchOutcome;
import io.lakelens.jobs.inference.ImageBatchPartition;
import io.lakelens.jobs.inference.ModelRef;
import io.lakelens.jobs.runs.JobRun;
import io.lakelens.jobs.spark.HadoopConf;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.tables.DeltaMerge;
import io.lakelens.jobs.tables.LakelensTables;
import io.lakelens.jobs.tables.MetricNames;
import io.lakelens.jobs.zeroshot.ClassList;
import io.lakelens.jobs.zeroshot.PromptTemplates;
import io.lakelens.models.checkpoint.CheckpointFolder;
import io.lakelens.models.runtime.ComputeDevice;
import io.lakelens.models.runtime.TorchRuntime;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code lakelens finetune}: contrastive fine-tuning of CLIP on the (image, reference caption) pairs
 * of a dataset. Spark prepares the pairs (decode, resize, tokenize in executors with the executor kit;
 * validation split by image id hash) and streams shuffled batches to the trainer in this JVM ({@link
 * FinetuneRun}). Records {@code training_runs}, {@code training_steps}, and {@code eval_runs} rows:
 * kind {@code finetune} with the loss, kind {@code validation} before/after (recall@1 both ways and,
 * with labels, zero-shot accuracy on the validation images).
 */
public final class FinetuneJob {

    /** The options of a run, checked when built ({@link #builder}). */
    public static final class Options {
        private final String dataset;
        private final String model;
        private final Path out;
        private final int epochs;
        private final int batchSize;
        private final int microBatchSize;
        private final double lr;
        private final long warmupSteps;
        private final double weightDecay;
        private final boolean lockImage;
        private final boolean lockText;
        private final int unlockLastLayers;
        private final double valFraction;
        private final long seed;
        private final String device;
        private final boolean resume;
        private final Double wiseFtAlpha;
        private final Path zeroshotLabels;
        private final String zeroshotTemplates;
        private final long checkpointEvery;
        private final TrainingConfig training;

        private Options(Builder b) {
            dataset = JobOptions.dataset(b.dataset);
            model = JobOptions.model(b.model);
            out = Objects.requireNonNull(b.out, "--out");
            epochs = b.epochs;
            batchSize = JobOptions.batchSize(b.batchSize);
            microBatchSize = b.microBatchSize;
            lr = b.lr;
            warmupSteps = b.warmupSteps;
            weightDecay = b.weightDecay;
            lockImage = b.lockImage;
            lockText = b.lockText;
            unlockLastLayers = b.unlockLastLayers;
            valFraction = b.valFraction;
            seed = b.seed;
            // One device or a comma-separated list (data parallel); GPUs are counted later.
            device = String.join(",", JobOptions.devices(b.device));
            resume = b.resume;
            wiseFtAlpha = b.wiseFtAlpha;
            zeroshotLabels = b.zeroshotLabels;
            zeroshotTemplates = b.zeroshotTemplates;
            checkpointEvery = b.checkpointEvery;
            if (!(lr > 0) || Double.isInfinite(lr)) {
                throw new IllegalArgumentException("--lr must be > 0, got " + lr);
            }
            if (batchSize < 2) {
                throw new IllegalArgumentException("--batch-size must be >= 2 (a contrastive batch needs negatives), got " + batchSize);
            }
            if (!(valFraction >= 0 && valFraction < 1)) {
                throw new IllegalArgumentException("--val-fraction must be in [0, 1), got " + valFraction);
            }
            // The training config's own checks (locking, warmup, micro-batch) too, before Spark starts.
            training = new TrainingConfig(lr, warmupSteps, AdamW.Settings.clip(weightDecay), 1.0, microBatchSize,
                    new TowerLocking(lockImage, lockText, unlockLastLayers));
        }

        /** Options with the CLI's defaults for everything but the dataset, the model and the output. */
        public static Builder builder(String dataset, String model, Path out) {
            Builder b = new Builder();
            b.dataset = dataset;
            b.model = model;
            b.out = out;
            return b;
        }

        public String dataset() { return dataset; }
        public String model() { return model; }
        public Path out() { return out; }
        public int epochs() { return epochs; }
        public int batchSize() { return batchSize; }
        public int microBatchSize() { return microBatchSize; }
        public double lr() { return lr; }
        public long warmupSteps() { return warmupSteps; }
        public double weightDecay() { return weightDecay; }
        public boolean lockImage() { return lockImage; }
        public boolean lockText() { return lockText; }
        public int unlockLastLayers() { return unlockLastLayers; }
        public double valFraction() { return valFraction; }
        public long seed() { return seed; }
        /** One device, or a comma-separated list for data parallel training. */
        public String device() { return device; }
        public boolean resume() { return resume; }
        public Double wiseFtAlpha() { return wiseFtAlpha; }
        public Path zeroshotLabels() { return zeroshotLabels; }
        public String zeroshotTemplates() { return zeroshotTemplates; }
        public long checkpointEvery() { return checkpointEvery; }

        /** What the trainer is given. */
        public TrainingConfig training() {
            return training;
        }

        /** Defaults are the CLI's ({@code lakelens finetune --help}). */
        public static final class Builder {
            private String dataset;
            private String model;
            private Path out;
            private int epochs = 1;
            private int batchSize = 32;
            private int microBatchSize;
            private double lr = 1e-5;
            private long warmupSteps;
            private double weightDecay = 0.1;
            private boolean lockImage;
            private boolean lockText;
            private int unlockLastLayers;
            private double valFraction = 0.1;
            private long seed;
            private String device = JobOptions.DEFAULT_DEVICE;
            private boolean resume;
            private Double wiseFtAlpha;
            private Path zeroshotLabels;
            private String zeroshotTemplates = "single";
            private long checkpointEvery = 100;

            private Builder() {}

            public Builder epochs(int v) { epochs = v; return this; }
            public Builder batchSize(int v) { batchSize = v; return this; }
            /** Pairs embedded with gradients at once (GradCache); 0: the whole batch. */
            public Builder microBatchSize(int v) { microBatchSize = v; return this; }
            public Builder lr(double v) { lr = v; return this; }
            public Builder warmupSteps(long v) { warmupSteps = v; return this; }
            public Builder weightDecay(double v) { weightDecay = v; return this; }
            /** Which towers train: {@code --lock-image}, {@code --lock-text}, {@code --unlock-last-layers}. */
            public Builder locking(boolean image, boolean text, int unlockLast) {
                lockImage = image;
                lockText = text;
                unlockLastLayers = unlockLast;
                return this;
            }
            /** The validation split and the seed of the split-independent epoch order. */
            public Builder validation(double fraction, long orderSeed) {
                valFraction = fraction;
                seed = orderSeed;
                return this;
            }
            public Builder device(String v) { device = v; return this; }
            public Builder resume(boolean v) { resume = v; return this; }
            public Builder wiseFtAlpha(Double v) { wiseFtAlpha = v; return this; }
            /** Before/after zero-shot accuracy: a labels file and {@code --templates} (single, imagenet80, FILE). */
            public Builder zeroshot(Path labels, String templates) {
                zeroshotLabels = labels;
                zeroshotTemplates = templates == null ? "single" : templates;
                return this;
            }
            public Builder checkpointEvery(long v) { checkpointEvery = v; return this; }

            public Options build() {
                return new Options(this);
            }
        }
    }

    /**
     * What a run did.
     *
     * @param skippedImages images that could not be decoded while preparing the data (train and
     *     validation split), left out of training and written to {@code quarantine} with job {@code finetune}
     * @param imagesWithoutCaption images of the dataset without a reference caption, not used
     */
    public record Result(String runId, long steps, double firstLoss, double lastLoss, long trainPairs, long valPairs,
            long skippedImages, long imagesWithoutCaption, Map<String, Double> before, Map<String, Double> after,
            Map<String, Double> wiseFt, Path model) {}

    private final LakelensSession session;

    public FinetuneJob(LakelensSession session) {
        this.session = session;
    }

    /**
     * {@code --device}: one device, or a comma-separated list for data parallel training on one node
     * ({@code cuda:0,cuda:1}); each is checked by {@link ComputeDevice#parse}, in float32.
     */
    public static List<ComputeDevice> devices(String spec) {
        List<ComputeDevice> out = new ArrayList<>();
        for (String one : JobOptions.devices(spec)) {
            out.add(ComputeDevice.parse(one, "float32"));
        }
        return out;
    }

    public Result run(Options o, PrintStream out) throws IOException {
        ModelRef model = ModelRef.resolve(session.spark(), o.model());
        CheckpointFolder.open(model.driverFolder()).requireModelType("clip", "lakelens finetune");
        List<ComputeDevice> devices = devices(o.device());
        FinetuneRun.Options runOptions = FinetuneRun.Options.builder(model.driverFolder(), o.out().toAbsolutePath(),
                        o.training(), devices)
                .epochs(o.epochs()).resume(o.resume()).checkpointEvery(o.checkpointEvery())
                .wiseFtAlpha(o.wiseFtAlpha()).build();
        FinetuneRun.checkOutput(runOptions);
        ValidationSet.ZeroShot zeroShot = o.zeroshotLabels() == null ? null : new ValidationSet.ZeroShot(
                ClassList.parse(o.zeroshotLabels().toString()), PromptTemplates.parse(o.zeroshotTemplates()));

        // The data, checked before any training.
        var spark = session.spark();
        if (!session.catalog().exists(LakelensTables.IMAGES)) {
            throw new IllegalArgumentException("no images table: run lakelens ingest first");
        }
        Dataset<Row> images = spark.table(LakelensTables.IMAGES.qualifiedName()).where(col("dataset").equalTo(o.dataset()));
        long imageCount = images.count();
        if (imageCount == 0) {
            throw new IllegalArgumentException("dataset '" + o.dataset() + "' has no images");
        }
        if (!session.catalog().exists(LakelensTables.REFERENCE_CAPTIONS)) {
            throw new IllegalArgumentException("dataset '" + o.dataset() + "' has no captions: ingest with --captions");
        }
        Dataset<Row> captions = spark.table(LakelensTables.REFERENCE_CAPTIONS.qualifiedName())
                .where(col("dataset").equalTo(o.dataset())).select("image_id", "caption");
        Dataset<Row> joined = images.select("image_id", "uri", "content", "label").join(captions, "image_id");
        Row pairStats = joined.agg(count(lit(1)), countDistinct(col("image_id"))).first();
        long pairCount = pairStats.getLong(0);
        long captionedImages = pairStats.getLong(1);
        if (pairCount == 0) {
            throw new IllegalArgumentException("none of the " + imageCount + " images of dataset '" + o.dataset()
                    + "' has a reference caption: ingest with --captions");
        }
        // The training run is also a job run: job_runs holds its counts, quarantine rows point to it.
        Map<String, String> parameters = parameters(o);
        return JobRun.execute(session, "finetune", o.dataset(), model.modelId(), parameters, run -> {
            run.count("images", imageCount).count("images_without_caption", imageCount - captionedImages)
                    .count("pairs", pairCount);
            return train(o, model, runOptions, devices.get(0), zeroShot, joined, run, parameters, out,
                    new long[] {imageCount, captionedImages, pairCount});
        });
    }

    /** Prepares both splits, evaluates before, trains, evaluates after; all inside the run. */
    private Result train(Options o, ModelRef model, FinetuneRun.Options runOptions, ComputeDevice evalDevice,
            ValidationSet.ZeroShot zeroShot, Dataset<Row> joined, JobRun run, Map<String, String> parameters,
            PrintStream out, long[] counts) throws IOException {
        long imageCount = counts[0];
        long captionedImages = counts[1];
        long pairCount = counts[2];
        String runId = run.runId();
        String modelId = model.modelId();
        long buckets = 10_000;
        Column isVal = pmod(xxhash64(col("image_id")), lit(buckets)).lt(lit((long) Math.round(o.valFraction() * buckets)));
        Dataset<Row> prepared = prepare(session, model, joined);
        Dataset<Row> decoded = prepared.where(col("reason_code").isNull());
        Dataset<Row> trainPairs = decoded.where(isVal.unary_$bang()).selectExpr(PreparePairs.TRAINING_COLUMNS);
        Instant started = run.startedAt();
        List<Row> steps = new ArrayList<>();
        try {
            long trainCount = trainPairs.count();
            ValidationSet validation = ValidationSet.of(validationRows(decoded.where(isVal)));
            // Failures of both splits, once per image (an image fails for each of its captions).
            long skipped = run.quarantine(prepared.where(col("reason_code").isNotNull())
                    .select("image_id", "uri", "stage", "reason_code", "reason").dropDuplicates("image_id"), modelId);
            run.count("train_pairs", trainCount).count("val_pairs", validation.size()).count("skipped_images", skipped);
            out.printf("finetune %s: %d images, %d with captions (%d pairs): %d training pairs, %d validation pairs;"
                    + " %d images could not be decoded (skipped, in quarantine)%n", o.dataset(), imageCount,
                    captionedImages, pairCount, trainCount, validation.size(), skipped);
            if (imageCount > captionedImages) {
                out.printf("finetune %s: %d images have no reference caption and are not used%n", o.dataset(),
                        imageCount - captionedImages);
            }
            if (trainCount < o.batchSize()) {
                throw new IllegalArgumentException("only " + trainCount + " training pairs, fewer than --batch-size "
                        + o.batchSize() + (skipped == 0 ? "" : " (" + skipped
                        + " images could not be decoded: see the quarantine table)"));
            }
            FinetuneRun.Result result;
            Map<String, Double> before;
            try {
                writeRun(runId, modelId, o, parameters, "running", null, started, null);
                TorchRuntime.start();
                before = validation.evaluate(model.driverFolder(), evalDevice, zeroShot);
                if (!before.isEmpty()) {
                    run.record("-before", validationRun(modelId, o.dataset(), "before", runId, parameters, before));
                }
                result = FinetuneRun.run(runOptions,
                        new SparkBatches(trainPairs, trainCount, o.batchSize(), o.seed(), 0), new FinetuneRun.Listener() {
                            @Override
                            public void step(int epoch, ContrastiveTrainer.StepResult r) {
                                steps.add(RowFactory.create(runId, r.step(), epoch, r.loss(), r.lr(), r.logitScaleExp(),
                                        r.imagesPerSecond(), Timestamp.from(Instant.now())));
                                if (r.step() % 10 == 0 || steps.size() >= 100) {
                                    flushSteps(steps);
                                }
                                out.printf("step %d epoch %d loss %.4f lr %.2e scale %.1f %.1f img/s%n", r.step(), epoch,
                                        r.loss(), r.lr(), r.logitScaleExp(), r.imagesPerSecond());
                            }
                        });
                flushSteps(steps);
            } catch (RuntimeException | IOException e) {
                flushSteps(steps);
                writeRun(runId, modelId, o, parameters, "failed", null, started, Instant.now());
                throw e;
            }
            prepared.unpersist();
            Map<String, Double> after = validation.evaluate(result.finalModel(), evalDevice, zeroShot);
            Map<String, Double> wise = result.wiseFtModel() == null ? Map.of()
                    : validation.evaluate(result.wiseFtModel(), evalDevice, zeroShot);
            Map<String, Double> lossMetrics = new LinkedHashMap<>();
            lossMetrics.put("loss_start", result.firstLoss());
            lossMetrics.put("loss_end", result.lastLoss());
            lossMetrics.put("steps", (double) result.steps());
            run.record("-loss", new JobRun.Evaluation(MetricNames.FINETUNE, modelId, o.dataset(),
                    linked(parameters, runId, null), lossMetrics, null));
            if (!after.isEmpty()) {
                run.record("-after", validationRun(o.out().toAbsolutePath().toString(), o.dataset(), "after", runId,
                        parameters, after));
            }
            if (!wise.isEmpty()) {
                Map<String, String> p = new LinkedHashMap<>(parameters);
                p.put("wise_ft_alpha", String.valueOf(o.wiseFtAlpha()));
                run.record("-wise-ft", validationRun(result.wiseFtModel().toString(), o.dataset(), "wise-ft", runId, p,
                        wise));
            }
            writeRun(runId, modelId, o, parameters, "succeeded", result.finalModel().toString(), started, Instant.now());
            run.count("steps", result.steps()).items(result.steps() * o.batchSize());
            return new Result(runId, result.steps(), result.firstLoss(), result.lastLoss(), trainCount,
                    validation.size(), skipped, imageCount - captionedImages, before, after, wise, result.finalModel());
        } finally {
            prepared.unpersist();
        }
    }

    /**
     * The pairs prepared in the executors ({@link PreparePairs} on the executor kit), persisted: one
     * outcome row per (image, caption), with tensors or with the reason the image failed.
     *
     * @param pairs image_id, caption, uri, content, label
     */
    static Dataset<Row> prepare(LakelensSession session, ModelRef model, Dataset<Row> pairs) {
        ImageBatchPartition<PreparePairs.Pair> partition = new ImageBatchPartition<>(new PreparePairs(model),
                PreparePairs.RESULT, PreparePairs.BATCH, HadoopConf.of(session.spark().sparkContext().hadoopConfiguration()),
                null);
        return pairs.select("image_id", "caption", "uri", "content", "label")
                .mapPartitions(partition, Encoders.row(BatchOutcome.schema(PreparePairs.RESULT)))
                .persist(StorageLevel.MEMORY_AND_DISK());
    }

    /** Prepared pairs that decoded, collected in the order {@link ValidationSet#of} takes them. */
    static List<Row> validationRows(Dataset<Row> decoded) {
        return decoded.select("image_id", "caption", "label", "pixels").orderBy("image_id", "caption").collectAsList();
    }

    /** A validation evaluation of one stage (before, after, wise-ft), linked to the training run. */
    private static JobRun.Evaluation validationRun(String modelId, String dataset, String stage, String runId,
            Map<String, String> parameters, Map<String, Double> metrics) {
        return new JobRun.Evaluation(MetricNames.VALIDATION, modelId, dataset, linked(parameters, runId, stage),
                metrics, null);
    }

    /** The run's parameters plus {@code training_run_id} and, for a validation row, its {@code stage}. */
    private static Map<String, String> linked(Map<String, String> parameters, String runId, String stage) {
        Map<String, String> p = new LinkedHashMap<>(parameters);
        p.put("training_run_id", runId);
        if (stage != null) {
            p.put("stage", stage);
        }
        return p;
    }

    private void flushSteps(List<Row> steps) {
        if (steps.isEmpty()) {
            return;
        }
        DeltaMerge.upsert(session.spark(), session.catalog(), LakelensTables.TRAINING_STEPS,
                session.spark().createDataFrame(new ArrayList<>(steps), LakelensTables.TRAINING_STEPS.schema()));
        steps.clear();
    }

    private void writeRun(String runId, String modelId, Options o, Map<String, String> parameters, String status,
            String best, Instant started, Instant finished) {
        Row row = RowFactory.create(runId, modelId, o.dataset(), o.out().toAbsolutePath().toString(),
                new LinkedHashMap<>(parameters), status, best, Timestamp.from(started),
                finished == null ? null : Timestamp.from(finished));
        DeltaMerge.upsert(session.spark(), session.catalog(), LakelensTables.TRAINING_RUNS,
                session.spark().createDataFrame(List.of(row), LakelensTables.TRAINING_RUNS.schema()));
    }

    private static Map<String, String> parameters(Options o) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("dataset", o.dataset());
        p.put("model", o.model());
        p.put("epochs", Integer.toString(o.epochs()));
        p.put("batch_size", Integer.toString(o.batchSize()));
        p.put("micro_batch_size", Integer.toString(o.microBatchSize()));
        p.put("lr", Double.toString(o.lr()));
        p.put("warmup_steps", Long.toString(o.warmupSteps()));
        p.put("weight_decay", Double.toString(o.weightDecay()));
        p.put("lock_image", Boolean.toString(o.lockImage()));
        p.put("lock_text", Boolean.toString(o.lockText()));
        p.put("unlock_last_layers", Integer.toString(o.unlockLastLayers()));
        p.put("val_fraction", Double.toString(o.valFraction()));
        p.put("seed", Long.toString(o.seed()));
        p.put("device", o.device());
        if (o.zeroshotLabels() != null) {
            p.put("zeroshot_templates", o.zeroshotTemplates());
        }
        return p;
    }
}
