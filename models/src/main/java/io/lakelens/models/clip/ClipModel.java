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
import io.lakelens.models.text.ClipTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * CLIP (Radford et al. 2021) as Hugging Face's {@code CLIPModel}: a text tower and a vision tower,
 * each projected into a shared embedding space, and a learned temperature {@code logit_scale}.
 *
 * <p>Two levels of use:
 *
 * <ul>
 *   <li>Tensors, for training: {@link #imageFeatures} and {@link #textFeatures} take a {@link
 *       ParameterStore} and a {@code training} flag and do no host copies, so they run under DJL's
 *       {@code GradientCollector} once the trainer unfreezes the parameters.
 *   <li>Java arrays, for inference: {@link #embedImages}, {@link #embedTexts} and friends. These are
 *       thread-safe (one model per executor JVM, shared by its task threads): each call computes
 *       in its own sub-manager inside an {@link NDScope}, so native memory returns to where it was
 *       after every batch. The caller sets PyTorch's thread count ({@link TorchRuntime#start(int)}).
 * </ul>
 *
 * <p>Input images must already be preprocessed (resized, cropped, normalised, CHW); texts are
 * tokenized by the folder's {@code tokenizer.json} ({@link ClipTokenizer}).
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
    private volatile ClipTokenizer tokenizer;

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
     * Loads a Hugging Face CLIP folder: {@code config.json} ({@code model_type: clip}), {@code
     * model.safetensors} and, if present, {@code tokenizer.json}.
     *
     * @throws io.lakelens.models.checkpoint.CheckpointException naming the file and the problem
     *     (missing or truncated files, another architecture, tensors that do not fit)
     */
    public static ClipModel load(Path folder, ComputeDevice device) {
        CheckpointFolder checkpoint = CheckpointFolder.open(folder);
        ClipModel model = new ClipModel(ClipConfig.of(checkpoint));
        NDManager manager = TorchRuntime.newManager(device);
        ClipTokenizer tokenizer = null;
        try {
            // Older checkpoints store the text/vision position_ids buffers; they are arange(n).
            ParameterBinder.Rules rules =
                    new ParameterBinder.Rules(Map.of(), name -> name.endsWith(".position_ids"));
            ParameterBinder.load(model, checkpoint.weights(), manager, device.dataType(), rules);
            if (checkpoint.file("tokenizer.json").isPresent()) {
                tokenizer = ClipTokenizer.open(checkpoint.dir(), model.config.text().maxPositionEmbeddings());
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        model.own(manager, device, tokenizer);
        return model;
    }

    /**
     * A model with random weights (N(0, std^2), norms at identity, {@code logit_scale} at its
     * initial value), for benchmarks at real sizes and for tests.
     *
     * @param tokenizer a tokenizer to own, or null
     */
    public static ClipModel withRandomWeights(
            ClipConfig config, ComputeDevice device, float std, ClipTokenizer tokenizer) {
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
        model.own(manager, device, tokenizer);
        return model;
    }

    private void own(NDManager manager, ComputeDevice device, ClipTokenizer tokenizer) {
        this.manager = manager;
        this.device = device;
        this.tokenizer = tokenizer;
    }

    // ---------------------------------------------------------------- tensors (training and inference)

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

    // ---------------------------------------------------------------- Java arrays (inference)

    /**
     * L2-normalised image embeddings.
     *
     * @param pixelValuesChw {@code count x C x S x S} floats, images one after another, each
     *     channel-first, already preprocessed for this model ({@code S = image_size})
     * @param count the number of images; 0 gives an empty result
     * @return {@code [count][projection_dim]}
     */
    public float[][] embedImages(float[] pixelValuesChw, int count) {
        return normalizeRows(embedImagesUnnormalized(pixelValuesChw, count));
    }

    /** As {@link #embedImages}, without the L2 normalisation ({@code get_image_features}). */
    public float[][] embedImagesUnnormalized(float[] pixelValuesChw, int count) {
        ClipVisionConfig v = config.vision();
        if (count < 0 || pixelValuesChw == null || (long) count * v.pixelsPerImage() != pixelValuesChw.length) {
            throw new IllegalArgumentException("expected " + count + " x " + v.numChannels() + " x "
                    + v.imageSize() + " x " + v.imageSize() + " pixel values, got "
                    + (pixelValuesChw == null ? "null" : pixelValuesChw.length));
        }
        if (count == 0) {
            return new float[0][];
        }
        return run(batch -> {
            Shape shape = new Shape(count, v.numChannels(), v.imageSize(), v.imageSize());
            NDArray pixels = batch.create(pixelValuesChw, shape).toType(device.dataType(), false);
            return imageFeatures(new ParameterStore(batch, false), pixels, false);
        });
    }

    /**
     * L2-normalised text embeddings. The batch is padded only to its longest text.
     *
     * @param texts texts (none null); longer ones are truncated to {@code max_position_embeddings}
     *     tokens; an empty list gives an empty result
     * @throws IllegalStateException if the model folder had no {@code tokenizer.json}
     */
    public float[][] embedTexts(List<String> texts) {
        return normalizeRows(embedTextsUnnormalized(texts));
    }

    /** As {@link #embedTexts}, without the L2 normalisation ({@code get_text_features}). */
    public float[][] embedTextsUnnormalized(List<String> texts) {
        if (texts.isEmpty()) {
            return new float[0][];
        }
        ClipTokenizer.Batch batch = tokenizer().encode(texts);
        return embedTokenIdsUnnormalized(batch.inputIds(), batch.attentionMask());
    }

    /**
     * L2-normalised embeddings of already tokenized texts.
     *
     * @param ids one row per text, each {@code <|startoftext|> ... <|endoftext|>}, of any lengths
     *     up to {@code max_position_embeddings}; rows are padded here to the longest
     */
    public float[][] embedTokenIds(long[][] ids) {
        return normalizeRows(embedTokenIdsUnnormalized(ids));
    }

    /** As {@link #embedTokenIds}, without the L2 normalisation. */
    public float[][] embedTokenIdsUnnormalized(long[][] ids) {
        int longest = 0;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i].length == 0) {
                throw new IllegalArgumentException("text " + i + " has no tokens");
            }
            longest = Math.max(longest, ids[i].length);
        }
        // Pad with 0: never above the EOS (argmax rule) and never the EOS (first-EOS rule) unless
        // the config's EOS is 0, so the pooling position is the same as without padding.
        long pad = !config.text().poolsAtArgmax() && config.text().eosTokenId() == 0 ? 1 : 0;
        long[][] padded = new long[ids.length][longest];
        long[][] mask = new long[ids.length][longest];
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(ids[i], 0, padded[i], 0, ids[i].length);
            java.util.Arrays.fill(padded[i], ids[i].length, longest, pad);
            java.util.Arrays.fill(mask[i], 0, ids[i].length, 1L);
        }
        return embedTokenIdsUnnormalized(padded, mask);
    }

    /**
     * Embeddings of padded token ids, not normalised.
     *
     * @param ids {@code [B][T]}, all rows of one length T <= {@code max_position_embeddings}
     * @param attentionMask {@code [B][T]}: 1 for tokens, 0 for padding
     */
    public float[][] embedTokenIdsUnnormalized(long[][] ids, long[][] attentionMask) {
        if (ids.length == 0) {
            return new float[0][];
        }
        int length = ids[0].length;
        ClipTextConfig t = config.text();
        if (length == 0 || length > t.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("texts must have 1 to " + t.maxPositionEmbeddings()
                    + " tokens, got " + length);
        }
        if (attentionMask.length != ids.length) {
            throw new IllegalArgumentException(ids.length + " id rows but " + attentionMask.length + " mask rows");
        }
        long[] flatIds = new long[ids.length * length];
        long[] flatMask = new long[ids.length * length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i].length != length || attentionMask[i].length != length) {
                throw new IllegalArgumentException("row " + i + " has " + ids[i].length + " ids and "
                        + attentionMask[i].length + " mask values; expected " + length);
            }
            for (int j = 0; j < length; j++) {
                long id = ids[i][j];
                if (id < 0 || id >= t.vocabSize()) {
                    throw new IllegalArgumentException("token id " + id + " at [" + i + "][" + j
                            + "] is outside the vocabulary (vocab_size " + t.vocabSize() + ")");
                }
            }
            System.arraycopy(ids[i], 0, flatIds, i * length, length);
            System.arraycopy(attentionMask[i], 0, flatMask, i * length, length);
        }
        Shape shape = new Shape(ids.length, length);
        return run(batch -> textFeatures(new ParameterStore(batch, false),
                batch.create(flatIds, shape), batch.create(flatMask, shape), false));
    }

    /** The {@code logit_scale} parameter as stored (the log of the temperature multiplier). */
    public float logitScale() {
        return readScalar(logitScale);
    }

    /** {@code exp(logit_scale)}: what cosine similarities are multiplied by (100 for trained CLIPs). */
    public float logitScaleExp() {
        return (float) Math.exp(logitScale());
    }

    /**
     * CLIP's {@code logits_per_image}: {@code exp(logit_scale) * cos(image_i, text_j)}. Cosines are
     * accumulated in double, so rows need not be normalised. A zero vector gives NaN (its direction
     * is undefined), as in transformers.
     *
     * @param images {@code [I][P]} image embeddings
     * @param texts {@code [T][P]} text embeddings
     * @return {@code [I][T]}; {@code [0][]} for no images, rows of length 0 for no texts
     * @throws IllegalArgumentException if the widths differ from each other or from the model's
     */
    public float[][] similarity(float[][] images, float[][] texts) {
        float[][] a = normalizeRows(images);
        float[][] b = normalizeRows(texts);
        double scale = Math.exp(logitScale());
        float[][] logits = new float[a.length][b.length];
        for (int i = 0; i < a.length; i++) {
            requireWidth(a[i], "image " + i);
            for (int j = 0; j < b.length; j++) {
                requireWidth(b[j], "text " + j);
                double dot = 0;
                for (int k = 0; k < a[i].length; k++) {
                    dot += (double) a[i][k] * b[j][k];
                }
                logits[i][j] = (float) (scale * dot);
            }
        }
        return logits;
    }

    private void requireWidth(float[] row, String what) {
        if (row.length != config.projectionDim()) {
            throw new IllegalArgumentException(what + " embedding has " + row.length + " values, the model's "
                    + config.projectionDim());
        }
    }

    /** The tokenizer loaded from the model folder. */
    public ClipTokenizer tokenizer() {
        if (tokenizer == null) {
            throw new IllegalStateException("this CLIP model has no tokenizer (no tokenizer.json in its folder)");
        }
        return tokenizer;
    }

    public ComputeDevice device() {
        return device;
    }

    /** The manager holding the weights; per-batch work uses sub-managers of it. */
    NDManager manager() {
        return manager;
    }

    /**
     * Runs one batch in its own sub-manager and scope, and copies the {@code [B, P]} result out.
     * Every array made on the way, including views of parameters, is closed before returning.
     */
    private float[][] run(Function<NDManager, NDArray> forward) {
        lifecycle.readLock().lock();
        try {
            if (manager == null) {
                throw new IllegalStateException("CLIP model has no weights (closed, or built without load)");
            }
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

    private float readScalar(Parameter p) {
        lifecycle.readLock().lock();
        try {
            if (manager == null) {
                throw new IllegalStateException("CLIP model has no weights (closed, or built without load)");
            }
            return p.getArray().toType(DataType.FLOAT32, true).getFloat();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Rows scaled to unit L2 norm (in double); a zero row becomes NaN. */
    static float[][] normalizeRows(float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            double sum = 0;
            for (float v : rows[i]) {
                sum += (double) v * v;
            }
            double norm = Math.sqrt(sum);
            out[i] = new float[rows[i].length];
            for (int k = 0; k < rows[i].length; k++) {
                out[i][k] = (float) (rows[i][k] / norm);
            }
        }
        return out;
    }

    /** Frees the weights and the tokenizer; waits for running calls to finish. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (tokenizer != null) {
                tokenizer.close();
                tokenizer = null;
            }
            if (manager != null) {
                manager.close();
                manager = null;
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        // [pixel_values, input_ids, attention_mask] -> [image_features, text_features]
        return new NDList(
                imageFeatures(ps, inputs.get(0), training),
                textFeatures(ps, inputs.get(1), inputs.size() > 2 ? inputs.get(2) : null, training));
    }
}
