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
 * are computed once per call and axis, the loops allocate nothing per pixel, and the
 * multiply-adds run as SIMD (see the note in the body).
 */
public final class PillowBicubicResize {
    private static final int HALF = 1 << (BicubicWeights.PRECISION_BITS - 1);
    /** Rows transposed together in the horizontal pass: lines long enough for SIMD (chosen by measurement). */
    private static final int BAND_ROWS = 32;

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
        if (!horizontal) {
            return new RgbImage(width, height, verticalPass(rowsOf(image), 0, rows, height));
        }
        int firstRow = 0;
        int rowCount = image.height();
        if (vertical) {
            firstRow = rows.first[0];
            rowCount = rows.first[height - 1] + rows.count[height - 1] - firstRow;
        }
        int[][] temp = horizontalPass(image, firstRow, rowCount, BicubicWeights.of(image.width(), width), width);
        if (!vertical) {
            return new RgbImage(width, height, join(temp));
        }
        return new RgbImage(width, height, verticalPass(temp, firstRow, rows, height));
    }

    /*
     * Both passes are written as "add weight x a whole line of samples into an int accumulator
     * line", which the JIT turns into SIMD; integer sums are exact, so the order of additions
     * cannot change a result. Lines are separate int arrays indexed like the accumulator: JDK 17's
     * auto-vectoriser gives up on bytes widened to ints and on two arrays read at different offsets.
     */

    /**
     * Resizes rows {@code [firstRow, firstRow + rowCount)} of the image to {@code outWidth}
     * columns. Returns Pillow's temporary image (values rounded and clamped to 0..255), one int
     * line per row, HWC within the row. Works on a band of rows at a time, transposed so that
     * the input of one output column is a handful of whole lines.
     */
    private static int[][] horizontalPass(RgbImage image, int firstRow, int rowCount, BicubicWeights cols, int outWidth) {
        int srcWidth = image.width();
        byte[] src = image.pixels();
        int[][] out = new int[rowCount][outWidth * 3];
        int[][] columns = new int[srcWidth][BAND_ROWS * 3]; // columns[x][r * 3 + c] for band row r
        int[] acc = new int[BAND_ROWS * 3];
        for (int band = 0; band < rowCount; band += BAND_ROWS) {
            int bandRows = Math.min(BAND_ROWS, rowCount - band);
            if (bandRows < BAND_ROWS) {
                columns = new int[srcWidth][bandRows * 3];
                acc = new int[bandRows * 3];
            }
            for (int r = 0; r < bandRows; r++) {
                int s = (firstRow + band + r) * srcWidth * 3;
                for (int x = 0; x < srcWidth; x++, s += 3) {
                    int[] column = columns[x];
                    column[r * 3] = src[s] & 0xFF;
                    column[r * 3 + 1] = src[s + 1] & 0xFF;
                    column[r * 3 + 2] = src[s + 2] & 0xFF;
                }
            }
            for (int x = 0; x < outWidth; x++) {
                accumulate(columns, cols, x, 0, acc);
                for (int r = 0; r < bandRows; r++) {
                    int[] row = out[band + r];
                    row[x * 3] = clip(acc[r * 3]);
                    row[x * 3 + 1] = clip(acc[r * 3 + 1]);
                    row[x * 3 + 2] = clip(acc[r * 3 + 2]);
                }
            }
        }
        return out;
    }

    /** Resizes columns; {@code rows} holds input rows from {@code firstRow} on. */
    private static byte[] verticalPass(int[][] rows, int firstRow, BicubicWeights weights, int outHeight) {
        int length = rows[0].length;
        byte[] out = new byte[length * outHeight];
        int[] acc = new int[length];
        for (int y = 0; y < outHeight; y++) {
            accumulate(rows, weights, y, firstRow, acc);
            for (int i = 0, o = y * length; i < length; i++, o++) {
                out[o] = (byte) clip(acc[i]);
            }
        }
        return out;
    }

    /** {@code acc = HALF + sum over taps t of weight(t) * lines[first + t - lineOffset]}. */
    private static void accumulate(int[][] lines, BicubicWeights weights, int output, int lineOffset, int[] acc) {
        java.util.Arrays.fill(acc, HALF);
        int w = output * weights.stride;
        for (int t = 0, n = weights.count[output]; t < n; t++) {
            int k = weights.weights[w + t];
            int[] line = lines[weights.first[output] - lineOffset + t];
            for (int i = 0; i < acc.length; i++) {
                acc[i] += line[i] * k;
            }
        }
    }

    private static int[][] rowsOf(RgbImage image) {
        int length = image.width() * 3;
        byte[] px = image.pixels();
        int[][] rows = new int[image.height()][length];
        for (int y = 0; y < rows.length; y++) {
            int[] row = rows[y];
            for (int i = 0, s = y * length; i < length; i++, s++) {
                row[i] = px[s] & 0xFF;
            }
        }
        return rows;
    }

    private static byte[] join(int[][] rows) {
        int length = rows[0].length;
        byte[] out = new byte[rows.length * length];
        for (int y = 0; y < rows.length; y++) {
            for (int i = 0, o = y * length; i < length; i++, o++) {
                out[o] = (byte) rows[y][i];
            }
        }
        return out;
    }

    /** Pillow's clip8: drop the fraction bits (arithmetic shift, i.e. floor) and clamp to 0..255. */
    private static int clip(int fixedPoint) {
        int v = fixedPoint >> BicubicWeights.PRECISION_BITS;
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
