package io.lakelens.models.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lakelens.models.checkpoint.CheckpointFolder;
import io.lakelens.models.checkpoint.ParameterBinder;
import io.lakelens.models.nn.LinearLayer;
import io.lakelens.models.nn.ModelBlock;
import io.lakelens.models.runtime.ComputeDevice;
import io.lakelens.models.runtime.TorchRuntime;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * CLIP (Radford et al. 2021) as Hugging Face's {@code CLIPModel}: the network only. A text tower and a
 * vision tower, each projected into a shared embedding space, and a learned temperature {@code
 * logit_scale}. It takes tensors and owns its weights; images and texts become tensors in {@link
 * ClipProcessor}, and {@link ClipEmbedder} puts the two together behind a Java-array API.
 *
 * <p>{@link #imageFeatures} and {@link #textFeatures} take a {@link ParameterStore} and a {@code
 * training} flag and do no host copies, so they run under DJL's {@code GradientCollector} once the
 * trainer unfreezes the parameters.
 */
public final class ClipModel extends ModelBlock implements AutoCloseable {

    private final ClipConfig config;
    private final ClipTextTransformer textModel;
    private final ClipVisionTransformer visionModel;
    private final LinearLayer visualProjection;
    private final LinearLayer textProjection;
    private final Parameter logitScale;

    // Set once by load/withRandomWeights, cleared by close; volatile so task threads see them.
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile NDManager manager;
    private volatile ComputeDevice device;

    /** The network without weights; use {@link #load} or {@link #withRandomWeights} to run it. */
    public ClipModel(ClipConfig config) {
        this.config = config;
        this.textModel = child("text_model", new ClipTextTransformer(config.text()));
        this.visionModel = child("vision_model", new ClipVisionTransformer(config.vision()));
        int projection = config.projectionDim();
        this.visualProjection =
                child("visual_projection", new LinearLayer(config.vision().hiddenSize(), projection, false));
        this.textProjection = child("text_projection", new LinearLayer(config.text().hiddenSize(), projection, false));
        this.logitScale = param("logit_scale", Parameter.Type.OTHER);
    }

    /**
     * Loads the weights of a Hugging Face CLIP folder: {@code config.json} ({@code model_type: clip})
     * and {@code model.safetensors}.
     *
     * @throws io.lakelens.models.checkpoint.CheckpointException naming the file and the problem
     *     (missing or truncated files, another architecture, tensors that do not fit)
     */
    public static ClipModel load(Path folder, ComputeDevice device) {
        CheckpointFolder checkpoint = CheckpointFolder.open(folder);
        return load(checkpoint, ClipConfig.of(checkpoint), device);
    }

    /** As {@link #load(Path, ComputeDevice)} for a folder already opened and its config read. */
    public static ClipModel load(CheckpointFolder checkpoint, ClipConfig config, ComputeDevice device) {
        ClipModel model = new ClipModel(config);
        NDManager manager = TorchRuntime.newManager(device);
        try {
            // Older checkpoints store the text/vision position_ids buffers; they are arange(n).
            ParameterBinder.Rules rules =
                    new ParameterBinder.Rules(Map.of(), name -> name.endsWith(".position_ids"));
            ParameterBinder.load(model, checkpoint.weights(), manager, device.dataType(), rules);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        model.own(manager, device);
        return model;
    }

    /**
     * A model with random weights (N(0, std^2), norms at identity, {@code logit_scale} at its
     * initial value), for benchmarks at real sizes and for tests.
     */
    public static ClipModel withRandomWeights(ClipConfig config, ComputeDevice device, float std) {
        ClipModel model = new ClipModel(config);
        NDManager manager = TorchRuntime.newManager(device);
        try {
            ParameterBinder.initRandom(model, manager, device.dataType(), std);
            try (NDManager scratch = manager.newSubManager()) {
                NDArray scale = scratch.create((float) config.logitScaleInitValue()).toType(device.dataType(), false);
                model.logitScale.getArray().set(scale.toByteBuffer());
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        model.own(manager, device);
        return model;
    }

    private void own(NDManager manager, ComputeDevice device) {
        this.manager = manager;
        this.device = device;
    }

    /**
     * {@code get_image_features}: the projected class token, not normalised.
     *
     * @param pixelValues {@code [B, C, S, S]} in the parameters' type
     * @return {@code [B, projection_dim]}
     */
    public NDArray imageFeatures(ParameterStore ps, NDArray pixelValues, boolean training) {
        return visualProjection.apply(ps, visionModel.apply(ps, pixelValues, training).pooled(), training);
    }

    /**
     * {@code get_text_features}: the projected EOS token, not normalised.
     *
     * @param ids {@code [B, T]} int64
     * @param attentionMask {@code [B, T]} (1 token, 0 padding), or null if nothing is padded
     * @return {@code [B, projection_dim]}
     */
    public NDArray textFeatures(ParameterStore ps, NDArray ids, NDArray attentionMask, boolean training) {
        return textProjection.apply(ps, textModel.apply(ps, ids, attentionMask, training).pooled(), training);
    }

    /** The temperature parameter; its exp multiplies cosine similarities into logits. */
    public Parameter logitScaleParameter() {
        return logitScale;
    }

    public ClipTextTransformer textModel() {
        return textModel;
    }

    public ClipVisionTransformer visionModel() {
        return visionModel;
    }

    public ClipConfig config() {
        return config;
    }

    /** The {@code logit_scale} parameter as stored (the log of the temperature multiplier). */
    public float logitScale() {
        lifecycle.readLock().lock();
        try {
            requireWeights();
            return logitScale.getArray().toType(DataType.FLOAT32, true).getFloat();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** {@code exp(logit_scale)}: what cosine similarities are multiplied by (100 for trained CLIPs). */
    public float logitScaleExp() {
        return (float) Math.exp(logitScale());
    }

    public ComputeDevice device() {
        return device;
    }

    /** The manager holding the weights; per-batch work uses sub-managers of it. */
    public NDManager manager() {
        return manager;
    }

    /**
     * Runs one inference batch in its own sub-manager and scope, and copies the {@code [B, P]} result
     * out. Thread-safe: weights are only read, and {@link #close} waits for running calls. Every
     * array made on the way, including views of parameters, is closed before returning.
     */
    float[][] infer(Function<NDManager, NDArray> forward) {
        lifecycle.readLock().lock();
        try {
            requireWeights();
            try (NDManager batch = manager.newSubManager(); NDScope scope = new NDScope()) {
                NDArray out = forward.apply(batch).toType(DataType.FLOAT32, false);
                int rows = (int) out.getShape().get(0);
                int cols = (int) out.getShape().get(1);
                float[] flat = out.toFloatArray();
                float[][] result = new float[rows][];
                for (int i = 0; i < rows; i++) {
                    result[i] = java.util.Arrays.copyOfRange(flat, i * cols, (i + 1) * cols);
                }
                return result;
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private void requireWeights() {
        if (manager == null) {
            throw new IllegalStateException("CLIP model has no weights (closed, or built without load)");
        }
    }

    /** Frees the weights; waits for running calls to finish. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (manager != null) {
                manager.close();
                manager = null;
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    /** {@code [pixel_values, input_ids(, attention_mask)]} in, {@code [image_features, text_features]} out. */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(
                imageFeatures(ps, inputs.get(0), training),
                textFeatures(ps, inputs.get(1), inputs.size() > 2 ? inputs.get(2) : null, training));
    }
}
