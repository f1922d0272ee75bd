package io.lakelens.models.image;

import java.util.Objects;

/**
 * An 8-bit RGB image, row-major and channel-interleaved (HWC): the pixel at ({@code x}, {@code y})
 * starts at {@code (y * width + x) * 3}. This is the layout of a Pillow {@code "RGB"} image turned
 * into a numpy array, so golden {@code *_uint8_hwc} tensors compare element by element.
 *
 * <p>The array is shared, not copied: treat an {@code RgbImage} as immutable once built.
 */
public final class RgbImage {
    private final int width;
    private final int height;
    private final byte[] pixels;

    public RgbImage(int width, int height, byte[] pixels) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        Objects.requireNonNull(pixels, "pixels");
        if ((long) width * height * 3 != pixels.length) {
            throw new IllegalArgumentException(
                    "expected " + (long) width * height * 3 + " bytes for " + width + "x" + height + " RGB, got " + pixels.length);
        }
        this.width = width;
        this.height = height;
        this.pixels = pixels;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The HWC bytes themselves (not a copy). */
    public byte[] pixels() {
        return pixels;
    }

    /** Channel {@code c} (0 = R, 1 = G, 2 = B) of pixel ({@code x}, {@code y}) as 0..255. */
    public int get(int x, int y, int c) {
        return pixels[(y * width + x) * 3 + c] & 0xFF;
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
