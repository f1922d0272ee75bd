package io.lakelens.finetune;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.lakelens.finetune.TrainableParameters.Entry;
import io.lakelens.models.checkpoint.ParameterBinder;
import io.lakelens.models.checkpoint.ParameterBinder.NamedParameter;
import io.lakelens.models.clip.ClipModel;
import io.lakelens.models.clip.ClipVisionConfig;
import io.lakelens.models.runtime.ComputeDevice;
import io.lakelens.models.runtime.TorchRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Contrastive fine-tuning of a loaded {@link ClipModel}, one optimizer step per batch.
 *
 * <p>A step: gradients of {@link ContrastiveLoss} over the whole batch, global-norm clipping, an
 * {@link AdamW} update at the {@link CosineSchedule}'s rate, then {@code logit_scale} clamped to
 * [0, ln 100]. With a micro-batch size below the batch size the step is GradCache (Gao et al.
 * 2021), so the negatives still come from the whole batch while only one micro-batch's activations
 * are held with gradients:
 *
 * <ol>
 *   <li>embed every micro-batch without gradients;
 *   <li>compute the loss on the full batch of embeddings and its gradient with respect to them
 *       (and to {@code logit_scale});
 *   <li>embed each micro-batch again with gradients and back-propagate the cached embedding
 *       gradients ({@code sum(features · cachedGradient)}), accumulating the parameters' gradients.
 * </ol>
 *
 * The result is the full-batch gradient up to floating-point order. Nothing here is random: with
 * the same data order the run is the same.
 *
 * <p>Data parallel on several devices of one JVM ({@code devices}, the first being the model's):
 * one replica of the model per further device, its weights copied from the primary. The batch's
 * micro-batches go to the replicas round-robin (with no micro-batch size, one micro-batch per
 * replica); step 1 runs on each replica, its embeddings are gathered onto the primary device so the
 * loss of step 2 and its gradients span the whole (global) batch, each replica gets the gradient
 * rows of its micro-batches back for step 3, and the replicas' parameter gradients are summed onto
 * the primary's. Clipping and AdamW run on the primary, whose updated weights are then copied to
 * the replicas. Replicas on different devices run on one thread each; replicas sharing a device
 * (several on the CPU, as the tests do) run one after another. The result is the single-device
 * step's, up to the order in which the micro-batches' gradients are added.
 */
public final class ContrastiveTrainer implements AutoCloseable {

    /**
     * What one step did.
     *
     * @param loss the batch's loss before the update
     * @param gradNorm the global gradient norm before clipping
     * @param lr the learning rate used
     * @param logitScaleExp {@code exp(logit_scale)} after the update
     */
    public record StepResult(long step, double loss, double gradNorm, double lr, double logitScaleExp,
            int images, double seconds) {
        public double imagesPerSecond() {
            return seconds > 0 ? images / seconds : Double.NaN;
        }
    }

    private final ClipModel model;
    private final TrainingConfig config;
    private final TrainableParameters parameters;
    private final CosineSchedule schedule;
    private final NDManager manager;
    private final AdamW optimizer;
    private final Engine engine;
    /** Replica 0 is the primary ({@link #model}); the others are owned by this trainer. */
    private final List<Replica> replicas = new ArrayList<>();
    /** One thread per replica, or null: replicas run one after another on the caller's thread. */
    private final ExecutorService pool;
    private long step;
    private String nonFinite;

    private record Replica(ClipModel model, TrainableParameters parameters, NDManager manager) {
        Device device() {
            return model.device().djlDevice();
        }
    }

    /**
     * Unfreezes the parameters the config's locking lets train.
     *
     * @param totalSteps optimizer steps of the whole run, for the schedule
     */
    public ContrastiveTrainer(ClipModel model, TrainingConfig config, long totalSteps) {
        this(model, config, totalSteps, List.of(model.device().djlDevice()));
    }

    /**
     * Data parallel over {@code devices}: the first must be the model's device; each further one
     * gets a replica (the same device may be named more than once). Replicas on distinct devices run
     * on a thread each.
     */
    public ContrastiveTrainer(ClipModel model, TrainingConfig config, long totalSteps, List<Device> devices) {
        this(model, config, totalSteps, devices, devices.stream().distinct().count() > 1);
    }

    /** As above; {@code threads} chooses one thread per replica (else one after another). */
    ContrastiveTrainer(ClipModel model, TrainingConfig config, long totalSteps, List<Device> devices,
            boolean threads) {
        if (devices.isEmpty() || !devices.get(0).equals(model.device().djlDevice())) {
            throw new IllegalArgumentException("the first training device must be the model's ("
                    + model.device() + "), got " + devices);
        }
        this.model = model;
        this.config = config;
        this.engine = TorchRuntime.start();
        this.schedule = new CosineSchedule(config.learningRate(), config.warmupSteps(), totalSteps);
        this.parameters = TrainableParameters.of(model, config.locking());
        this.manager = TorchRuntime.newManager(model.device());
        replicas.add(new Replica(model, parameters, manager));
        this.pool = threads && devices.size() > 1 ? Executors.newFixedThreadPool(devices.size(), r -> {
            Thread t = new Thread(r, "lakelens-replica");
            t.setDaemon(true);
            return t;
        }) : null;
        AdamW adam = null;
        try {
            for (Device d : devices.subList(1, devices.size())) {
                ComputeDevice on = new ComputeDevice(d, model.device().dataType());
                // Random weights only to allocate the parameters; the primary's are copied below.
                ClipModel copy = ClipModel.withRandomWeights(model.config(), on, 0.02f);
                NDManager m;
                try {
                    m = TorchRuntime.newManager(on);
                } catch (RuntimeException e) {
                    copy.close();
                    throw e;
                }
                replicas.add(new Replica(copy, TrainableParameters.of(copy, config.locking()), m));
            }
            adam = new AdamW(parameters, config.adam(), manager);
            // Gradients left on the parameters by an earlier trainer would be added to ours.
            zeroGradients();
            clampLogitScale();
            copyToReplicas(false);
        } catch (RuntimeException e) {
            if (adam != null) {
                adam.close();
            }
            close();
            throw e;
        }
        this.optimizer = adam;
    }

    /** Number of model replicas (devices) the batch is spread over. */
    public int replicas() {
        return replicas.size();
    }

    /** One optimizer step on a batch. */
    public StepResult step(TrainingBatch batch) {
        long start = System.nanoTime();
        double loss = accumulateGradients(batch);
        double norm = clipGradients();
        if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
            zeroGradients();
            throw new IllegalStateException("training diverged at step " + step + ": loss " + loss
                    + ", gradient norm " + norm + (nonFinite == null ? "" : " (first in " + nonFinite + ")")
                    + "; lower --lr");
        }
        double lr = schedule.lr(step);
        optimizer.step(lr);
        zeroGradients();
        clampLogitScale();
        copyToReplicas(true);
        step++;
        return new StepResult(step, loss, norm, lr, model.logitScaleExp(), batch.size(),
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * Adds the gradient of the batch's loss to every trained parameter's gradient, through GradCache
     * when the batch is larger than the micro-batch size.
     *
     * @return the loss
     */
    public double accumulateGradients(TrainingBatch batch) {
        int micro = config.microBatchSize();
        if (replicas.size() > 1 || (micro > 0 && micro < batch.size())) {
            return gradCache(batch, micro);
        }
        try (NDManager work = manager.newSubManager(); NDScope scope = new NDScope()) {
            ParameterStore ps = new ParameterStore(work, false);
            try (GradientCollector collector = engine.newGradientCollector()) {
                NDArray loss = ContrastiveLoss.compute(imageFeatures(ps, work, batch, true),
                        textFeatures(ps, work, batch, true), logitScale());
                collector.backward(loss);
                return loss.toType(DataType.FLOAT64, false).getDouble();
            }
        }
    }

    /** Steps 1-3 of the class comment, over all replicas. */
    private double gradCache(TrainingBatch batch, int micro) {
        int n = replicas.size();
        if (micro <= 0 || micro >= batch.size()) {
            micro = (batch.size() + n - 1) / n; // one micro-batch per replica
        }
        List<TrainingBatch> chunks = new ArrayList<>();
        for (int from = 0; from < batch.size(); from += micro) {
            chunks.add(batch.slice(from, Math.min(batch.size(), from + micro)));
        }
        int count = chunks.size();
        NDManager[] works = new NDManager[n];
        try (NDScope scope = new NDScope()) {
            for (int r = 0; r < n; r++) {
                works[r] = replicas.get(r).manager().newSubManager();
            }
            // 1. Embeddings of the whole batch, without an autograd graph; micro-batch c on replica c % n.
            NDArray[] images = new NDArray[count];
            NDArray[] texts = new NDArray[count];
            onReplicas(r -> {
                ClipModel m = replicas.get(r).model();
                try (NoGradient noGradient = new NoGradient()) {
                    ParameterStore ps = new ParameterStore(works[r], false);
                    for (int c = r; c < count; c += n) {
                        images[c] = imageFeatures(m, ps, works[r], chunks.get(c), false);
                        texts[c] = textFeatures(m, ps, works[r], chunks.get(c), false);
                    }
                }
            });
            // Gathered on the primary device, in batch order; leaves of their own, so that backward
            // stores their gradient.
            Device primary = replicas.get(0).device();
            NDList gatheredImages = new NDList();
            NDList gatheredTexts = new NDList();
            for (int c = 0; c < count; c++) {
                gatheredImages.add(images[c].toDevice(primary, false));
                gatheredTexts.add(texts[c].toDevice(primary, false));
            }
            NDArray allImages = NDArrays.concat(gatheredImages).stopGradient();
            NDArray allTexts = NDArrays.concat(gatheredTexts).stopGradient();
            // 2. Loss and its gradient with respect to the embeddings (and logit_scale).
            double lossValue;
            NDArray imageGrad;
            NDArray textGrad;
            try (Autograd autograd = new Autograd()) {
                allImages.setRequiresGradient(true);
                allTexts.setRequiresGradient(true);
                NDArray loss = ContrastiveLoss.compute(allImages, allTexts, logitScale());
                Autograd.backward(loss);
                lossValue = loss.toType(DataType.FLOAT64, false).getDouble();
                imageGrad = allImages.getGradient();
                textGrad = allTexts.getGradient();
            }
            // Each micro-batch's rows of the gradients, sent to its replica's device.
            NDArray[] imageRows = new NDArray[count];
            NDArray[] textRows = new NDArray[count];
            int from = 0;
            for (int c = 0; c < count; c++) {
                int to = from + chunks.get(c).size();
                Device d = replicas.get(c % n).device();
                imageRows[c] = imageGrad.get(from + ":" + to).toDevice(d, true);
                textRows[c] = textGrad.get(from + ":" + to).toDevice(d, true);
                from = to;
            }
            // 3. Each micro-batch again, with the cached gradients pushed through its towers
            // ({@code sum(features · cachedGradient)}). DJL's GradientCollector allows one in the
            // JVM at a time, hence Autograd.
            onReplicas(r -> {
                ClipModel m = replicas.get(r).model();
                for (int c = r; c < count; c += n) {
                    try (Autograd autograd = new Autograd()) {
                        // A ParameterStore remembers how it first served each parameter (here, without
                        // gradients in step 1), so the pass with gradients gets a store of its own.
                        ParameterStore training = new ParameterStore(works[r], false);
                        NDArray surrogate = imageFeatures(m, training, works[r], chunks.get(c), true).mul(imageRows[c])
                                .sum().add(textFeatures(m, training, works[r], chunks.get(c), true)
                                        .mul(textRows[c]).sum());
                        // At least one tower trains (TowerLocking), so the surrogate reaches parameters.
                        // (DJL's hasGradient() cannot tell: it reports false for every non-leaf.)
                        Autograd.backward(surrogate);
                    }
                }
            });
            addReplicaGradients();
            return lossValue;
        } finally {
            for (NDManager w : works) {
                if (w != null) {
                    w.close();
                }
            }
        }
    }

    /** Runs {@code work} for every replica index: on the replicas' threads, or one after another. */
    private void onReplicas(IntConsumer work) {
        if (pool == null) {
            for (int r = 0; r < replicas.size(); r++) {
                work.accept(r);
            }
            return;
        }
        List<Future<?>> running = new ArrayList<>();
        for (int r = 0; r < replicas.size(); r++) {
            int replica = r;
            running.add(pool.submit(() -> work.accept(replica)));
        }
        RuntimeException failure = null;
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure != null ? failure : new IllegalStateException("interrupted during a training step", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Error error) {
                    throw error;
                }
                failure = failure != null ? failure
                        : cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Adds every replica's parameter gradients to the primary's and zeroes them. {@code logit_scale}
     * gets its gradient on the primary only (step 2).
     */
    private void addReplicaGradients() {
        Device primary = replicas.get(0).device();
        List<Entry> mine = parameters.entries();
        try (NDScope scope = new NDScope()) {
            for (Replica replica : replicas.subList(1, replicas.size())) {
                List<Entry> theirs = replica.parameters().entries();
                for (int k = 0; k < mine.size(); k++) {
                    NDArray array = theirs.get(k).parameter().getArray();
                    if (mine.get(k).name().equals("logit_scale") || !array.hasGradient()) {
                        continue;
                    }
                    NDArray g = array.getGradient();
                    mine.get(k).parameter().getArray().getGradient().addi(g.toDevice(primary, true));
                    g.subi(g);
                }
            }
        }
    }

    /**
     * Copies the primary's weights to every replica: all of them, or only the trained ones (the
     * others never change).
     */
    private void copyToReplicas(boolean trainedOnly) {
        if (replicas.size() == 1) {
            return;
        }
        List<NamedParameter> source = ParameterBinder.parameters(model);
        for (Replica replica : replicas.subList(1, replicas.size())) {
            List<NamedParameter> target = ParameterBinder.parameters(replica.model());
            for (int k = 0; k < source.size(); k++) {
                Parameter from = source.get(k).parameter();
                if (trainedOnly && !from.requiresGradient()) {
                    continue;
                }
                // Through host memory: DJL has no in-place device-to-device copy.
                target.get(k).parameter().getArray().set(from.getArray().toByteBuffer());
            }
        }
    }

    private NDArray imageFeatures(ParameterStore ps, NDManager work, TrainingBatch batch, boolean training) {
        return imageFeatures(model, ps, work, batch, training);
    }

    private NDArray textFeatures(ParameterStore ps, NDManager work, TrainingBatch batch, boolean training) {
        return textFeatures(model, ps, work, batch, training);
    }

    private NDArray imageFeatures(ClipModel model, ParameterStore ps, NDManager work, TrainingBatch batch,
            boolean training) {
        ClipVisionConfig v = model.config().vision();
        Shape shape = new Shape(batch.size(), v.numChannels(), v.imageSize(), v.imageSize());
        NDArray pixels = work.create(batch.pixels(), shape).toType(model.logitScaleParameter().getArray().getDataType(), false);
        return model.imageFeatures(ps, pixels, training);
    }

    private static NDArray textFeatures(ClipModel model, ParameterStore ps, NDManager work, TrainingBatch batch,
            boolean training) {
        Shape shape = new Shape(batch.size(), batch.inputIds()[0].length);
        NDArray ids = work.create(flatten(batch.inputIds()), shape);
        NDArray mask = work.create(flatten(batch.attentionMask()), shape);
        return model.textFeatures(ps, ids, mask, training);
    }

    private static long[] flatten(long[][] rows) {
        int width = rows[0].length;
        long[] out = new long[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * width, width);
        }
        return out;
    }

    private NDArray logitScale() {
        return model.logitScaleParameter().getArray();
    }

    /** Scales all gradients so that their global L2 norm is at most the config's; returns the norm before. */
    double clipGradients() {
        double sum = 0;
        nonFinite = null;
        try (NDScope scope = new NDScope()) {
            List<NDArray> grads = new ArrayList<>();
            for (Entry e : parameters.entries()) {
                NDArray g = e.parameter().getArray().getGradient();
                grads.add(g);
                double squares = g.toType(DataType.FLOAT64, false).square().sum().getDouble();
                if (!Double.isFinite(squares) && nonFinite == null) {
                    nonFinite = e.name();
                }
                sum += squares;
            }
            double norm = Math.sqrt(sum);
            double max = config.maxGradNorm();
            if (max > 0 && norm > max && Double.isFinite(norm)) {
                double factor = max / (norm + 1e-6);
                grads.forEach(g -> g.muli(factor));
            }
            return norm;
        }
    }

    /** Sets every trained parameter's gradient to 0 (PyTorch accumulates into it across backwards). */
    public void zeroGradients() {
        try (NDScope scope = new NDScope()) {
            for (Replica replica : replicas) {
                for (Entry e : replica.parameters().entries()) {
                    NDArray array = e.parameter().getArray();
                    if (array.hasGradient()) {
                        NDArray g = array.getGradient();
                        g.subi(g);
                    }
                }
            }
        }
    }

    /** CLIP keeps the temperature multiplier at most 100 (and the scale non-negative). */
    private void clampLogitScale() {
        Parameter p = model.logitScaleParameter();
        double value = model.logitScale();
        double clamped = Math.max(0, Math.min(ContrastiveLoss.MAX_LOGIT_SCALE, value));
        if (clamped != value) {
            try (NDArray v = manager.create(clamped).toType(p.getArray().getDataType(), false)) {
                p.getArray().set(v.toByteBuffer());
            }
        }
    }

    /** The loss of a batch with the current weights, without gradients. */
    public double loss(TrainingBatch batch) {
        try (NDManager work = manager.newSubManager(); NDScope scope = new NDScope();
                NoGradient noGradient = new NoGradient()) {
            ParameterStore ps = new ParameterStore(work, false);
            return ContrastiveLoss.compute(imageFeatures(ps, work, batch, false), textFeatures(ps, work, batch, false),
                    logitScale()).toType(DataType.FLOAT64, false).getDouble();
        }
    }

    /** Optimizer steps taken (also after {@link #restore}). */
    public long steps() {
        return step;
    }

    /** Continues a run: the optimizer state and the step count. */
    public void restore(java.util.Map<String, float[]> optimizerState, long steps) {
        optimizer.restore(optimizerState, steps);
        this.step = steps;
    }

    public AdamW optimizer() {
        return optimizer;
    }

    public TrainableParameters parameters() {
        return parameters;
    }

    public CosineSchedule schedule() {
        return schedule;
    }

    public ClipModel model() {
        return model;
    }

    /** Freezes the model again and frees the optimizer state; the model stays usable for inference. */
    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
        zeroGradients();
        parameters.freezeAll();
        if (optimizer != null) {
            optimizer.close();
        }
        for (Replica replica : replicas.subList(Math.min(1, replicas.size()), replicas.size())) {
            replica.manager().close();
            replica.model().close();
        }
        manager.close();
    }
}
