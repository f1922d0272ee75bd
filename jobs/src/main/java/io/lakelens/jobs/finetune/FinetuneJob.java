package io.lakelens.jobs.finetune;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import io.lakelens.finetune.AdamW;
import io.lakelens.finetune.ContrastiveTrainer;
import io.lakelens.finetune.FinetuneRun;
import io.lakelens.finetune.TowerLocking;
import io.lakelens.finetune.TrainingConfig;
import io.lakelens.jobs.inference.ModelRef;
import io.lakelens.jobs.runs.JobRun;
import io.lakelens.jobs.runs.Quarantine;
import io.lakelens.jobs.spark.HadoopConf;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.tables.DeltaMerge;
import io.lakelens.jobs.tables.LakelensTables;
import io.lakelens.models.checkpoint.CheckpointFolder;
import io.lakelens.models.clip.ClipModel;
import io.lakelens.models.runtime.ComputeDevice;
import io.lakelens.models.runtime.TorchRuntime;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code lakelens finetune}: contrastive fine-tuning of CLIP on the (image, reference caption) pairs
 * of a dataset. Spark prepares the pairs (decode, resize, tokenize in executors; validation split by
 * image id hash) and streams shuffled batches to the trainer in this JVM ({@link FinetuneRun}).
 * Records {@code training_runs}, {@code training_steps}, and {@code eval_runs} before/after rows
 * (recall@1 both ways and, with labels, zero-shot accuracy on the validation images).
 */
public final class FinetuneJob {

    public record Options(String dataset, String model, Path out, int epochs, int batchSize, int microBatchSize,
            double lr, long warmupSteps, double weightDecay, boolean lockImage, boolean lockText, int unlockLastLayers,
            double valFraction, long seed, String device, boolean resume, Double wiseFtAlpha, Path zeroshotLabels,
            long checkpointEvery) {

        public Options {
            if (!(lr > 0) || Double.isInfinite(lr)) {
                throw new IllegalArgumentException("--lr must be > 0, got " + lr);
            }
            if (batchSize < 2) {
                throw new IllegalArgumentException("--batch-size must be >= 2 (a contrastive batch needs negatives), got " + batchSize);
            }
            if (!(valFraction >= 0 && valFraction < 1)) {
                throw new IllegalArgumentException("--val-fraction must be in [0, 1), got " + valFraction);
            }
            // --device: one device or a comma-separated list (data parallel); GPUs are counted later.
            for (String d : (device == null ? "cpu" : device).split(",", -1)) {
                if (!d.trim().toLowerCase(java.util.Locale.ROOT).matches("auto|cpu|(cuda|gpu)(:\\d+)?")) {
                    throw new IllegalArgumentException("--device '" + device
                            + "': use cpu, auto, cuda:N, or a comma-separated list such as cuda:0,cuda:1");
                }
            }
            // The training config's own checks (locking, warmup, micro-batch) too, before Spark starts.
            // (A compact constructor's fields are not assigned yet: build it from the parameters.)
            new TrainingConfig(lr, warmupSteps, AdamW.Settings.clip(weightDecay), 1.0, microBatchSize,
                    new TowerLocking(lockImage, lockText, unlockLastLayers));
        }

        /** What the trainer is given. */
        public TrainingConfig training() {
            return new TrainingConfig(lr, warmupSteps, AdamW.Settings.clip(weightDecay), 1.0, microBatchSize,
                    new TowerLocking(lockImage, lockText, unlockLastLayers));
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
            long skippedImages, long imagesWithoutCaption, Map<String, Double> before, Map<String, Double> after, Map<String, Double> wiseFt, Path model) {}

    private final LakelensSession session;

    public FinetuneJob(LakelensSession session) {
        this.session = session;
    }

    /**
     * {@code --device}: one device, or a comma-separated list for data parallel training on one node
     * ({@code cuda:0,cuda:1}); each is checked by {@link ComputeDevice#parse}, in float32.
     */
    public static List<ComputeDevice> devices(String spec) {
        List<ComputeDevice> out = new java.util.ArrayList<>();
        for (String one : (spec == null ? "cpu" : spec).split(",", -1)) {
            if (one.isBlank()) {
                throw new IllegalArgumentException("--device '" + spec + "' has an empty entry: use e.g. cuda:0,cuda:1");
            }
            out.add(ComputeDevice.parse(one, "float32"));
        }
        return out;
    }

    public Result run(Options o, PrintStream out) throws IOException {
        TrainingConfig training = o.training();
        ModelRef model = ModelRef.resolve(session.spark(), o.model());
        CheckpointFolder.open(model.driverFolder()).requireModelType("clip", "lakelens finetune");
        List<ComputeDevice> devices = devices(o.device());
        FinetuneRun.Options runOptions = new FinetuneRun.Options(model.driverFolder(), o.out().toAbsolutePath(), o.epochs(),
                training, devices, o.resume(), o.checkpointEvery(), 0, o.wiseFtAlpha());
        FinetuneRun.checkOutput(runOptions);
        List<String> labels = o.zeroshotLabels() == null ? List.of()
                : Files.readAllLines(o.zeroshotLabels()).stream().map(String::trim).filter(l -> !l.isEmpty()).toList();

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
        String modelId = model.modelId();
        Map<String, String> parameters = parameters(o);
        // The training run is also a job run: job_runs holds its counts, quarantine rows point to it.
        JobRun run = JobRun.start(session, "finetune", o.dataset(), modelId, parameters);
        String runId = run.runId();
        Instant started = run.startedAt();
        run.count("images", imageCount).count("images_without_caption", imageCount - captionedImages)
                .count("pairs", pairCount);
        long buckets = 10_000;
        var isVal = pmod(xxhash64(col("image_id")), lit(buckets)).lt(lit((long) Math.round(o.valFraction() * buckets)));
        HadoopConf hadoopConf = HadoopConf.of(spark.sparkContext().hadoopConfiguration());
        Dataset<Row> prepared = joined.where(isVal.unary_$bang()).select("image_id", "caption", "uri", "content")
                .mapPartitions(new PreparePairs(model, hadoopConf), org.apache.spark.sql.Encoders.row(PreparePairs.SCHEMA))
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> trainPairs = prepared.where(col("reason_code").isNull()).selectExpr(PreparePairs.TRAINING_COLUMNS);
        long trainCount;
        long skipped;
        ValidationSet validation;
        try {
            trainCount = trainPairs.count();
            validation = ValidationSet.collect(joined.where(isVal), model, hadoopConf);
            skipped = quarantineUndecodable(prepared, validation, o.dataset(), modelId, runId);
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
        } catch (RuntimeException e) {
            prepared.unpersist();
            run.fail(e);
            throw e;
        }
        List<Row> steps = new ArrayList<>();
        Map<String, Double> before;
        FinetuneRun.Result result;
        try {
            writeRun(runId, modelId, o, parameters, "running", null, started, null);
            TorchRuntime.start();
            before = validation.evaluate(model.driverFolder(), labels);
            if (!before.isEmpty()) {
                writeEval(runId + "-before", runId, model.modelId(), o.dataset(), "before", parameters, before, started);
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
            writeRun(runId, model.modelId(), o, parameters, "failed", null, started, Instant.now());
            prepared.unpersist();
            run.fail(e);
            throw e;
        }
        prepared.unpersist();
        Map<String, Double> after = validation.evaluate(result.finalModel(), labels);
        Map<String, Double> wise = result.wiseFtModel() == null ? Map.of() : validation.evaluate(result.wiseFtModel(), labels);
        Map<String, Double> lossMetrics = new LinkedHashMap<>();
        lossMetrics.put("loss_start", result.firstLoss());
        lossMetrics.put("loss_end", result.lastLoss());
        lossMetrics.put("steps", (double) result.steps());
        writeEval(runId + "-loss", runId, model.modelId(), o.dataset(), null, parameters, lossMetrics, started, "finetune");
        if (!after.isEmpty()) {
            writeEval(runId + "-after", runId, o.out().toAbsolutePath().toString(), o.dataset(), "after", parameters, after, started);
        }
        if (!wise.isEmpty()) {
            Map<String, String> p = new LinkedHashMap<>(parameters);
            p.put("wise_ft_alpha", String.valueOf(o.wiseFtAlpha()));
            writeEval(runId + "-wise-ft", runId, result.wiseFtModel().toString(), o.dataset(), "wise-ft", p, wise, started);
        }
        writeRun(runId, model.modelId(), o, parameters, "succeeded", result.finalModel().toString(), started, Instant.now());
        run.count("steps", result.steps());
        run.succeed(result.steps() * o.batchSize());
        return new Result(runId, result.steps(), result.firstLoss(), result.lastLoss(), trainCount, validation.size(),
                skipped, imageCount - captionedImages, before, after, wise, result.finalModel());
    }

    /**
     * Writes the images that failed to decode (training split: rows of {@code prepared} with a
     * reason; validation split: {@link ValidationSet#failures()}) to {@code quarantine}.
     *
     * @return the number of distinct images
     */
    private long quarantineUndecodable(Dataset<Row> prepared, ValidationSet validation, String dataset, String modelId,
            String runId) {
        var spark = session.spark();
        Dataset<Row> trainFailures = prepared.where(col("reason_code").isNotNull())
                .select("image_id", "uri", "stage", "reason_code", "reason");
        List<Row> valRows = new ArrayList<>();
        for (ValidationSet.Failure f : validation.failures()) {
            valRows.add(RowFactory.create(f.imageId(), f.uri(), "decode", f.reasonCode(), f.reason()));
        }
        Dataset<Row> failures = trainFailures.unionByName(spark.createDataFrame(valRows, trainFailures.schema()))
                .dropDuplicates("image_id");
        long images = failures.count();
        if (images > 0) {
            Quarantine.write(session, failures.select(lit("finetune").as("job"), col("stage"), lit(dataset).as("dataset"),
                    col("uri"), col("image_id"), lit(modelId).as("model_id"), col("reason_code"),
                    coalesce(col("reason"), col("reason_code")).as("reason"), lit(runId).as("run_id"),
                    current_timestamp().as("quarantined_at")));
        }
        return images;
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

    private void writeEval(String evalId, String runId, String modelId, String dataset, String stage,
            Map<String, String> parameters, Map<String, Double> metrics, Instant started) {
        writeEval(evalId, runId, modelId, dataset, stage, parameters, metrics, started, "retrieval");
    }

    private void writeEval(String evalId, String runId, String modelId, String dataset, String stage,
            Map<String, String> parameters, Map<String, Double> metrics, Instant started, String kind) {
        Map<String, String> p = new LinkedHashMap<>(parameters);
        p.put("training_run_id", runId);
        if (stage != null) {
            p.put("stage", stage);
        }
        Row row = RowFactory.create(evalId, kind, modelId, dataset, p, new LinkedHashMap<>(metrics), null,
                Timestamp.from(started), Timestamp.from(Instant.now()));
        DeltaMerge.upsert(session.spark(), session.catalog(), LakelensTables.EVAL_RUNS,
                session.spark().createDataFrame(List.of(row), LakelensTables.EVAL_RUNS.schema()));
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
        return p;
    }
}
