package io.lakelens.models.blip;

import io.lakelens.models.checkpoint.CheckpointFolder;
import io.lakelens.models.image.ImageDecodeException;
import io.lakelens.models.image.ImageInputs;
import io.lakelens.models.image.ImagePreprocessor;

/**
 * Hugging Face's {@code BlipProcessor}: the image processor ({@code preprocessor_config.json},
 * {@code BlipImageProcessor} semantics) and the WordPiece tokenizer ({@code tokenizer.json}) of a
 * BLIP folder, loaded together once. The tokenizer is required (captions are decoded with it); a
 * folder without an image processor config can still caption pixel values prepared elsewhere.
 * Thread-safe.
 */
public final class BlipProcessor implements AutoCloseable {

    private final ImageInputs images;
    private final BlipTokenizer tokenizer;

    private BlipProcessor(ImageInputs images, BlipTokenizer tokenizer) {
        this.images = images;
        this.tokenizer = tokenizer;
    }

    /** The processor of an opened BLIP folder whose config is already read. */
    public static BlipProcessor load(CheckpointFolder folder, BlipConfig config) {
        return new BlipProcessor(ImageInputs.of(folder, config.vision().pixelsPerImage()), BlipTokenizer.load(folder.dir()));
    }

    /** Floats in one preprocessed image ({@code 3 x S x S} of the model's vision config). */
    public int pixelsPerImage() {
        return images.pixelsPerImage();
    }

    /**
     * Decodes and preprocesses one encoded image into {@code dst} at {@code offset}.
     *
     * @throws ImageDecodeException when the bytes are not an image lakelens decodes
     */
    public void preprocessInto(byte[] encoded, float[] dst, int offset) {
        images.preprocessInto(encoded, dst, offset);
    }

    /** The image half; fails if the folder has no {@code preprocessor_config.json}. */
    public ImagePreprocessor imageProcessor() {
        return images.preprocessor();
    }

    public BlipTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
