package io.lakelens.models.image;

import java.util.Objects;

/**
 * Bit-exact port of Pillow's {@code Image.resize(size, Image.BICUBIC)} for 8-bit RGB images (the
 * resize inside Hugging Face's slow CLIP and BLIP image processors).
 *
 * <p>Pillow resizes separably: a horizontal pass into a temporary image, then a vertical pass.
 * Each output sample is the fixed-point weighted sum of its window ({@link BicubicWeights}),
 * started at one half for rounding, shifted right by {@link BicubicWeights#PRECISION_BITS} and
 * clamped to 0..255. The temporary image is rounded to 8 bits too; that intermediate rounding is
 * why a float or single-pass implementation is off by one now and then. A pass whose size does
 * not change is skipped, and a resize to the same size returns the input unchanged. Like Pillow,
 * the horizontal pass only computes the rows the vertical pass will read.
 *
 * <p>Stateless and thread-safe. Cost is proportional to output pixels times window width; weights
 * are computed once per call and axis, and the loops allocate nothing per pixel.
 */
public final class PillowBicubicResize {
    private static final int HALF = 1 << (BicubicWeights.PRECISION_BITS - 1);

    private PillowBicubicResize() {
    }

    /** Resizes to {@code width} x {@code height}; returns {@code image} itself when the size is unchanged. */
    public static RgbImage resize(RgbImage image, int width, int height) {
        Objects.requireNonNull(image, "image");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + width + "x" + height);
        }
        boolean horizontal = width != image.width();
        boolean vertical = height != image.height();
        if (!horizontal && !vertical) {
            return image;
        }
        BicubicWeights rows = BicubicWeights.of(image.height(), height);
        byte[] pixels = image.pixels();
        int srcWidth = image.width();
        int firstRow = 0;
        int rowCount = image.height();
        if (horizontal) {
            if (vertical) {
                firstRow = rows.first[0];
                rowCount = rows.first[height - 1] + rows.count[height - 1] - firstRow;
            }
            pixels = horizontalPass(pixels, srcWidth, firstRow, rowCount, BicubicWeights.of(srcWidth, width), width);
            srcWidth = width;
        }
        if (vertical) {
            pixels = verticalPass(pixels, srcWidth, firstRow, rows, height);
        }
        return new RgbImage(width, height, pixels);
    }

    /** Resizes rows {@code [firstRow, firstRow + rowCount)} of {@code src} to {@code outWidth} columns. */
    private static byte[] horizontalPass(byte[] src, int srcWidth, int firstRow, int rowCount, BicubicWeights cols, int outWidth) {
        byte[] out = new byte[outWidth * rowCount * 3];
        int[] weights = cols.weights;
        for (int y = 0; y < rowCount; y++) {
            int srcRow = (firstRow + y) * srcWidth * 3;
            int o = y * outWidth * 3;
            for (int x = 0; x < outWidth; x++, o += 3) {
                int r = HALF;
                int g = HALF;
                int b = HALF;
                int p = srcRow + cols.first[x] * 3;
                int w = x * cols.stride;
                for (int t = 0, n = cols.count[x]; t < n; t++, p += 3) {
                    int k = weights[w + t];
                    r += (src[p] & 0xFF) * k;
                    g += (src[p + 1] & 0xFF) * k;
                    b += (src[p + 2] & 0xFF) * k;
                }
                out[o] = clip(r);
                out[o + 1] = clip(g);
                out[o + 2] = clip(b);
            }
        }
        return out;
    }

    /**
     * Resizes columns; {@code src} holds input rows from {@code firstRow} on. Each output row is
     * accumulated row by row of input so that the inner loop runs along memory.
     */
    private static byte[] verticalPass(byte[] src, int width, int firstRow, BicubicWeights rows, int outHeight) {
        int rowLength = width * 3;
        byte[] out = new byte[rowLength * outHeight];
        int[] acc = new int[rowLength];
        int[] weights = rows.weights;
        for (int y = 0; y < outHeight; y++) {
            java.util.Arrays.fill(acc, HALF);
            int w = y * rows.stride;
            for (int t = 0, n = rows.count[y]; t < n; t++) {
                int k = weights[w + t];
                int p = (rows.first[y] - firstRow + t) * rowLength;
                for (int i = 0; i < rowLength; i++) {
                    acc[i] += (src[p + i] & 0xFF) * k;
                }
            }
            int o = y * rowLength;
            for (int i = 0; i < rowLength; i++) {
                out[o + i] = clip(acc[i]);
            }
        }
        return out;
    }

    /** Pillow's clip8: drop the fraction bits (arithmetic shift, i.e. floor) and clamp. */
    private static byte clip(int fixedPoint) {
        int v = fixedPoint >> BicubicWeights.PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }
}
