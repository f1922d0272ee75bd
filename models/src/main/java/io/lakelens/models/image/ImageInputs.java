package io.lakelens.models.image;

import io.lakelens.models.checkpoint.CheckpointException;
import io.lakelens.models.checkpoint.CheckpointFolder;
import java.nio.file.Path;

/**
 * The image half of a model's processor: its folder's {@code preprocessor_config.json} and the
 * number of floats one image becomes for the model. A folder without that file (a weights-only
 * checkpoint) still loads; preprocessing then fails, naming the folder and the file. Immutable.
 */
public final class ImageInputs {

    private final Path folder;
    private final int pixelsPerImage;
    private final ImagePreprocessor preprocessor;

    private ImageInputs(Path folder, int pixelsPerImage, ImagePreprocessor preprocessor) {
        this.folder = folder;
        this.pixelsPerImage = pixelsPerImage;
        this.preprocessor = preprocessor;
    }

    /**
     * @param pixelsPerImage floats of one image as the model takes it ({@code C x S x S} of its vision config)
     */
    public static ImageInputs of(CheckpointFolder folder, int pixelsPerImage) {
        return new ImageInputs(folder.dir(), pixelsPerImage, folder.file(CheckpointFolder.PREPROCESSOR_CONFIG)
                .map(ImagePreprocessor::fromConfig).orElse(null));
    }

    /** Built from parts, for a model made without a folder; {@code preprocessor} may be null. */
    public static ImageInputs of(ImagePreprocessor preprocessor, int pixelsPerImage) {
        return new ImageInputs(null, pixelsPerImage, preprocessor);
    }

    /** Floats in one preprocessed image. */
    public int pixelsPerImage() {
        return pixelsPerImage;
    }

    /**
     * Decodes and preprocesses one encoded image into {@code dst} at {@code offset} (channels first),
     * so a batch is filled in one buffer without copies.
     *
     * @throws ImageDecodeException when the bytes are not an image lakelens decodes
     */
    public void preprocessInto(byte[] encoded, float[] dst, int offset) {
        preprocessor().preprocessInto(encoded, dst, offset);
    }

    /** One encoded image's pixel values, {@link #pixelsPerImage()} floats. */
    public float[] preprocess(byte[] encoded) {
        float[] pixels = new float[pixelsPerImage];
        preprocessInto(encoded, pixels, 0);
        return pixels;
    }

    /** The image processor; fails if the folder has no {@code preprocessor_config.json}. */
    public ImagePreprocessor preprocessor() {
        if (preprocessor == null) {
            throw new CheckpointException((folder == null ? "this model" : folder.toString()) + ": no "
                    + CheckpointFolder.PREPROCESSOR_CONFIG + " (needed to preprocess images)");
        }
        return preprocessor;
    }
}
