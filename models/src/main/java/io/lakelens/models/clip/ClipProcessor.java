package io.lakelens.models.clip;

import io.lakelens.models.checkpoint.CheckpointFolder;
import io.lakelens.models.image.ImageDecodeException;
import io.lakelens.models.image.ImageInputs;
import io.lakelens.models.image.ImagePreprocessor;
import io.lakelens.models.text.ClipTokenizer;
import java.nio.file.Path;
import java.util.List;

/**
 * Hugging Face's {@code CLIPProcessor}: the image processor ({@code preprocessor_config.json}) and
 * the tokenizer ({@code tokenizer.json}) of a CLIP folder, loaded together once. It turns encoded
 * images and texts into what {@link ClipModel} takes; the model sees tensors only.
 *
 * <p>Either half may be missing from a folder (a weights-only checkpoint); using it is then an
 * error naming the folder and the file. Thread-safe: both halves are immutable once loaded.
 */
public final class ClipProcessor implements AutoCloseable {

    private final ImageInputs images;
    private final ClipTokenizer tokenizer;
    private final String where;

    private ClipProcessor(ImageInputs images, ClipTokenizer tokenizer, String where) {
        this.images = images;
        this.tokenizer = tokenizer;
        this.where = where;
    }

    /** The processor of a CLIP folder. */
    public static ClipProcessor load(Path folder) {
        CheckpointFolder checkpoint = CheckpointFolder.open(folder);
        return load(checkpoint, ClipConfig.of(checkpoint));
    }

    /** The processor of an opened CLIP folder whose config is already read. */
    public static ClipProcessor load(CheckpointFolder folder, ClipConfig config) {
        ClipTokenizer tokenizer = folder.file(CheckpointFolder.TOKENIZER).isPresent()
                ? ClipTokenizer.open(folder.dir(), config.text().maxPositionEmbeddings()) : null;
        return new ClipProcessor(ImageInputs.of(folder, config.vision().pixelsPerImage()), tokenizer,
                " " + folder.dir());
    }

    /**
     * A processor from parts (benchmarks and tests that build a model without a folder).
     *
     * @param images the image processor, or null
     * @param tokenizer the tokenizer, or null; owned from here on
     */
    public static ClipProcessor of(ClipConfig config, ImagePreprocessor images, ClipTokenizer tokenizer) {
        return new ClipProcessor(ImageInputs.of(images, config.vision().pixelsPerImage()), tokenizer, "");
    }

    /** Floats in one preprocessed image ({@code C x S x S} of the model's vision config). */
    public int pixelsPerImage() {
        return images.pixelsPerImage();
    }

    /**
     * Decodes and preprocesses one encoded image into {@code dst} at {@code offset} (channels first),
     * so a batch is filled in one buffer without copies.
     *
     * @throws ImageDecodeException when the bytes are not an image lakelens decodes
     */
    public void preprocessInto(byte[] encoded, float[] dst, int offset) {
        images.preprocessInto(encoded, dst, offset);
    }

    /** One encoded image's pixel values, {@link #pixelsPerImage()} floats. */
    public float[] preprocess(byte[] encoded) {
        return images.preprocess(encoded);
    }

    /** The image half; fails if the folder has no {@code preprocessor_config.json}. */
    public ImagePreprocessor imageProcessor() {
        return images.preprocessor();
    }

    /** The text half; fails if the folder has no {@code tokenizer.json}. */
    public ClipTokenizer tokenizer() {
        if (tokenizer == null) {
            throw new IllegalStateException("this CLIP model has no tokenizer (no " + CheckpointFolder.TOKENIZER
                    + " in its folder" + where + ")");
        }
        return tokenizer;
    }

    /** {@code <|startoftext|> ... <|endoftext|>} ids of one text, truncated to the context. */
    public long[] tokenize(String text) {
        return tokenizer().encode(text);
    }

    /** Ids of several texts, padded to the longest, with the attention mask. */
    public ClipTokenizer.Batch tokenize(List<String> texts) {
        return tokenizer().encode(texts);
    }

    /** Frees the tokenizer. */
    @Override
    public void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }
}
