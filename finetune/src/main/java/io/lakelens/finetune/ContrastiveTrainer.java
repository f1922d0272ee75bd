package io.lakelens.finetune;

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
import io.lakelens.models.clip.ClipModel;
import io.lakelens.models.clip.ClipVisionConfig;
import io.lakelens.models.runtime.TorchRuntime;
import java.util.ArrayList;
import java.util.List;

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
    private long step;
    private String nonFinite;

    /**
     * Unfreezes the parameters the config's locking lets train.
     *
     * @param totalSteps optimizer steps of the whole run, for the schedule
     */
    public ContrastiveTrainer(ClipModel model, TrainingConfig config, long totalSteps) {
        this.model = model;
        this.config = config;
        this.engine = TorchRuntime.start();
        this.schedule = new CosineSchedule(config.learningRate(), config.warmupSteps(), totalSteps);
        this.parameters = TrainableParameters.of(model, config.locking());
        this.manager = TorchRuntime.newManager(model.device());
        try {
            this.optimizer = new AdamW(parameters, config.adam(), manager);
            // Gradients left on the parameters by an earlier trainer would be added to ours.
            zeroGradients();
            clampLogitScale();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
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
        try (NDManager work = manager.newSubManager(); NDScope scope = new NDScope()) {
            ParameterStore ps = new ParameterStore(work, false);
            if (micro <= 0 || micro >= batch.size()) {
                try (GradientCollector collector = engine.newGradientCollector()) {
                    NDArray loss = ContrastiveLoss.compute(imageFeatures(ps, work, batch, true),
                            textFeatures(ps, work, batch, true), logitScale());
                    collector.backward(loss);
                    return loss.toType(DataType.FLOAT64, false).getDouble();
                }
            }
            List<TrainingBatch> chunks = new ArrayList<>();
            for (int from = 0; from < batch.size(); from += micro) {
                chunks.add(batch.slice(from, Math.min(batch.size(), from + micro)));
            }
            // 1. Embeddings of the whole batch, without an autograd graph.
            NDList images = new NDList();
            NDList texts = new NDList();
            try (NoGradient noGradient = new NoGradient()) {
                for (TrainingBatch chunk : chunks) {
                    images.add(imageFeatures(ps, work, chunk, false));
                    texts.add(textFeatures(ps, work, chunk, false));
                }
            }
            // Leaves of their own, so that backward stores their gradient.
            NDArray allImages = NDArrays.concat(images).stopGradient();
            NDArray allTexts = NDArrays.concat(texts).stopGradient();
            // 2. Loss and its gradient with respect to the embeddings (and logit_scale).
            double lossValue;
            NDArray imageGrad;
            NDArray textGrad;
            try (GradientCollector collector = engine.newGradientCollector()) {
                allImages.setRequiresGradient(true);
                allTexts.setRequiresGradient(true);
                NDArray loss = ContrastiveLoss.compute(allImages, allTexts, logitScale());
                collector.backward(loss);
                lossValue = loss.toType(DataType.FLOAT64, false).getDouble();
                imageGrad = allImages.getGradient();
                textGrad = allTexts.getGradient();
            }
            // 3. Each micro-batch again, with the cached gradients pushed through its towers.
            int from = 0;
            for (TrainingBatch chunk : chunks) {
                int to = from + chunk.size();
                try (GradientCollector collector = engine.newGradientCollector()) {
                    // A ParameterStore remembers how it first served each parameter (here, without
                    // gradients in step 1), so the pass with gradients gets a store of its own.
                    ParameterStore training = new ParameterStore(work, false);
                    NDArray surrogate = surrogate(imageFeatures(training, work, chunk, true), imageGrad, from, to)
                            .add(surrogate(textFeatures(training, work, chunk, true), textGrad, from, to));
                    // At least one tower trains (TowerLocking), so the surrogate reaches parameters.
                    // (DJL's hasGradient() cannot tell: it reports false for every non-leaf.)
                    collector.backward(surrogate);
                }
                from = to;
            }
            return lossValue;
        }
    }

    private static NDArray surrogate(NDArray features, NDArray cachedGradient, int from, int to) {
        return features.mul(cachedGradient.get(from + ":" + to)).sum();
    }

    private NDArray imageFeatures(ParameterStore ps, NDManager work, TrainingBatch batch, boolean training) {
        ClipVisionConfig v = model.config().vision();
        Shape shape = new Shape(batch.size(), v.numChannels(), v.imageSize(), v.imageSize());
        NDArray pixels = work.create(batch.pixels(), shape).toType(parameterType(), false);
        return model.imageFeatures(ps, pixels, training);
    }

    private NDArray textFeatures(ParameterStore ps, NDManager work, TrainingBatch batch, boolean training) {
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

    private DataType parameterType() {
        return model.logitScaleParameter().getArray().getDataType();
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
            for (Entry e : parameters.entries()) {
                NDArray array = e.parameter().getArray();
                if (array.hasGradient()) {
                    NDArray g = array.getGradient();
                    g.subi(g);
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
        zeroGradients();
        parameters.freezeAll();
        if (optimizer != null) {
            optimizer.close();
        }
        manager.close();
    }
}
