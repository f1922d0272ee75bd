package io.lakelens.models.image;

/**
 * Pillow's resampling weights for one axis, for {@code Image.BICUBIC}: for every output index, the
 * first input index it reads, how many it reads, and their fixed-point weights. Built once per
 * (input size, output size) and shared by every row or column of that resize.
 *
 * <p>This follows {@code precompute_coeffs} and {@code normalize_coeffs_8bpc} in Pillow's
 * {@code libImaging/Resample.c}, step for step, because bit-exact output depends on the exact
 * double-precision expressions and their rounding:
 * <ul>
 * <li>{@code scale = in / out}; when shrinking, the kernel is stretched by the scale
 *     ({@code filterscale = max(scale, 1)}), which is what antialiases a downscale;</li>
 * <li>the support is {@code 2 * filterscale} input pixels on each side of the centre
 *     {@code (i + 0.5) * scale}; the window is {@code [(int)(centre - support + 0.5),
 *     (int)(centre + support + 0.5))}, clamped to the image (C casts truncate toward zero, as
 *     Java's do);</li>
 * <li>each weight is the cubic kernel (a = -0.5) at {@code (j - centre + 0.5) / filterscale}; the
 *     weights of one window are divided by their sum;</li>
 * <li>weights become integers with {@link #PRECISION_BITS} fractional bits, rounding half away
 *     from zero.</li>
 * </ul>
 */
final class BicubicWeights {
    /** Pillow's PRECISION_BITS = 32 - 8 - 2: 8 bits of pixel and 2 of headroom for the kernel's overshoot. */
    static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double BICUBIC_SUPPORT = 2.0;
    private static final double A = -0.5;

    /** Input index of the first tap of output i. */
    final int[] first;
    /** Number of taps of output i. */
    final int[] count;
    /** Taps of output i at {@code weights[i * stride + t]}. */
    final int[] weights;
    final int stride;

    private BicubicWeights(int[] first, int[] count, int[] weights, int stride) {
        this.first = first;
        this.count = count;
        this.weights = weights;
        this.stride = stride;
    }

    static BicubicWeights of(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = BICUBIC_SUPPORT * filterScale;
        int stride = (int) Math.ceil(support) * 2 + 1;
        double inverseFilterScale = 1.0 / filterScale;

        int[] first = new int[outSize];
        int[] count = new int[outSize];
        int[] weights = new int[outSize * stride];
        double[] k = new double[stride];
        for (int i = 0; i < outSize; i++) {
            double center = (i + 0.5) * scale;
            int min = Math.max((int) (center - support + 0.5), 0);
            int max = Math.min((int) (center + support + 0.5), inSize);
            int n = max - min;
            double sum = 0.0;
            for (int t = 0; t < n; t++) {
                double w = cubic(((t + min) - center + 0.5) * inverseFilterScale);
                k[t] = w;
                sum += w;
            }
            for (int t = 0; t < n; t++) {
                double normalized = sum != 0.0 ? k[t] / sum : k[t];
                weights[i * stride + t] = toFixedPoint(normalized);
            }
            first[i] = min;
            count[i] = n;
        }
        return new BicubicWeights(first, count, weights, stride);
    }

    /** Keys' cubic convolution kernel with a = -0.5, in Pillow's evaluation order. */
    static double cubic(double x) {
        if (x < 0.0) {
            x = -x;
        }
        if (x < 1.0) {
            return ((A + 2.0) * x - (A + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * A;
        }
        return 0.0;
    }

    private static int toFixedPoint(double w) {
        double scaled = w * (1 << PRECISION_BITS);
        return (int) (w < 0 ? -0.5 + scaled : 0.5 + scaled);
    }
}
