package io.lakelens.models.blip;

import io.lakelens.models.checkpoint.CheckpointException;
import io.lakelens.models.checkpoint.CheckpointFolder;
import io.lakelens.models.image.ImageDecodeException;
import io.lakelens.models.image.ImagePreprocessor;

/**
 * Hugging Face's {@code BlipProcessor}: the image processor ({@code preprocessor_config.json},
 * {@code BlipImageProcessor} semantics) and the WordPiece tokenizer ({@code tokenizer.json}) of a
 * BLIP folder, loaded together once. The tokenizer is required (captions are decoded with it); a
 * folder without an image processor config can still caption pixel values prepared elsewhere.
 * Thread-safe.
 */
public final class BlipProcessor implements AutoCloseable {

    private final CheckpointFolder folder;
    private final int pixelsPerImage;
    private final ImagePreprocessor images;
    private final BlipTokenizer tokenizer;

    private BlipProcessor(CheckpointFolder folder, int pixelsPerImage, ImagePreprocessor images, BlipTokenizer tokenizer) {
        this.folder = folder;
        this.pixelsPerImage = pixelsPerImage;
        this.images = images;
        this.tokenizer = tokenizer;
    }

    /** The processor of an opened BLIP folder whose config is already read. */
    public static BlipProcessor load(CheckpointFolder folder, BlipConfig config) {
        ImagePreprocessor images = folder.file(CheckpointFolder.PREPROCESSOR_CONFIG)
                .map(ImagePreprocessor::fromConfig).orElse(null);
        return new BlipProcessor(folder, config.vision().pixelsPerImage(), images, BlipTokenizer.load(folder.dir()));
    }

    /** Floats in one preprocessed image ({@code 3 x S x S} of the model's vision config). */
    public int pixelsPerImage() {
        return pixelsPerImage;
    }

    /**
     * Decodes and preprocesses one encoded image into {@code dst} at {@code offset}.
     *
     * @throws ImageDecodeException when the bytes are not an image lakelens decodes
     */
    public void preprocessInto(byte[] encoded, float[] dst, int offset) {
        imageProcessor().preprocessInto(encoded, dst, offset);
    }

    /** The image half; fails if the folder has no {@code preprocessor_config.json}. */
    public ImagePreprocessor imageProcessor() {
        if (images == null) {
            throw new CheckpointException(folder.dir() + ": no " + CheckpointFolder.PREPROCESSOR_CONFIG
                    + " (needed to preprocess images)");
        }
        return images;
    }

    public BlipTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
