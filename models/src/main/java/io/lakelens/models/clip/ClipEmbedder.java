package io.lakelens.models.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.lakelens.models.checkpoint.CheckpointFolder;
import io.lakelens.models.runtime.ComputeDevice;
import io.lakelens.models.runtime.TorchRuntime;
import io.lakelens.models.text.ClipTokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A CLIP folder ready for inference: the {@link ClipModel} network and its {@link ClipProcessor},
 * loaded together by {@link #load} (the public entry point, as {@code BlipCaptioner} is for BLIP),
 * behind a Java-array API: embeddings of preprocessed images and of texts, and similarities.
 *
 * <p>Thread-safe (one instance per executor JVM, shared by its task threads): each call computes in
 * its own sub-manager inside an {@code NDScope}, so native memory returns to where it was after
 * every batch. The caller sets PyTorch's thread count ({@link TorchRuntime#start(int)}).
 *
 * <pre>{@code
 * try (ClipEmbedder clip = ClipEmbedder.load(dir, ComputeDevice.cpu())) {
 *     float[][] texts = clip.embedTexts(List.of("a photo of a cat"));
 *     float[][] images = clip.embedImages(clip.processor().preprocess(pngBytes), 1);
 * }
 * }</pre>
 */
public final class ClipEmbedder implements AutoCloseable {

    private final ClipModel model;
    private final ClipProcessor processor;

    private ClipEmbedder(ClipModel model, ClipProcessor processor) {
        this.model = model;
        this.processor = processor;
    }

    /**
     * Loads a Hugging Face CLIP folder: {@code config.json} ({@code model_type: clip}), {@code
     * model.safetensors} and, if present, the processor's files.
     *
     * @throws io.lakelens.models.checkpoint.CheckpointException naming the file and the problem
     */
    public static ClipEmbedder load(Path folder, ComputeDevice device) {
        CheckpointFolder checkpoint = CheckpointFolder.open(folder);
        ClipConfig config = ClipConfig.of(checkpoint);
        ClipModel model = ClipModel.load(checkpoint, config, device);
        try {
            return new ClipEmbedder(model, ClipProcessor.load(checkpoint, config));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** A loaded network and its processor, both owned (and closed) by the result. */
    public static ClipEmbedder of(ClipModel model, ClipProcessor processor) {
        return new ClipEmbedder(model, processor);
    }

    public ClipModel model() {
        return model;
    }

    public ClipProcessor processor() {
        return processor;
    }

    public ClipConfig config() {
        return model.config();
    }

    public ComputeDevice device() {
        return model.device();
    }

    /** The tokenizer of the folder ({@link ClipProcessor#tokenizer()}). */
    public ClipTokenizer tokenizer() {
        return processor.tokenizer();
    }

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
        ClipVisionConfig v = config().vision();
        if (count < 0 || pixelValuesChw == null || (long) count * v.pixelsPerImage() != pixelValuesChw.length) {
            throw new IllegalArgumentException("expected " + count + " x " + v.numChannels() + " x "
                    + v.imageSize() + " x " + v.imageSize() + " pixel values, got "
                    + (pixelValuesChw == null ? "null" : pixelValuesChw.length));
        }
        if (count == 0) {
            return new float[0][];
        }
        return model.infer(batch -> {
            Shape shape = new Shape(count, v.numChannels(), v.imageSize(), v.imageSize());
            NDArray pixels = batch.create(pixelValuesChw, shape).toType(model.device().dataType(), false);
            return model.imageFeatures(new ParameterStore(batch, false), pixels, false);
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
        ClipTokenizer.Batch batch = processor.tokenize(texts);
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
        ClipTextConfig t = config().text();
        // Pad with 0: never above the EOS (argmax rule) and never the EOS (first-EOS rule) unless
        // the config's EOS is 0, so the pooling position is the same as without padding.
        long pad = !t.poolsAtArgmax() && t.eosTokenId() == 0 ? 1 : 0;
        long[][] padded = new long[ids.length][longest];
        long[][] mask = new long[ids.length][longest];
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(ids[i], 0, padded[i], 0, ids[i].length);
            Arrays.fill(padded[i], ids[i].length, longest, pad);
            Arrays.fill(mask[i], 0, ids[i].length, 1L);
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
        ClipTextConfig t = config().text();
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
        return model.infer(batch -> model.textFeatures(new ParameterStore(batch, false),
                batch.create(flatIds, shape), batch.create(flatMask, shape), false));
    }

    /** The {@code logit_scale} parameter as stored (the log of the temperature multiplier). */
    public float logitScale() {
        return model.logitScale();
    }

    /** {@code exp(logit_scale)}: what cosine similarities are multiplied by (100 for trained CLIPs). */
    public float logitScaleExp() {
        return model.logitScaleExp();
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
        int width = config().projectionDim();
        if (row.length != width) {
            throw new IllegalArgumentException(what + " embedding has " + row.length + " values, the model's " + width);
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
        model.close();
        processor.close();
    }
}
