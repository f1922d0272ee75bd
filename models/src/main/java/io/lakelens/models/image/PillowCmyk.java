package io.lakelens.models.image;

/** Pillow's CMYK to RGB conversion ({@code cmyk2rgb} in {@code libImaging/Convert.c}). */
final class PillowCmyk {
    private PillowCmyk() {
    }

    /**
     * Writes R, G, B at {@code out[at..at+2]} for one CMYK pixel (values as Pillow holds them,
     * 0 = no ink). Each channel is {@code (255 - K) - C * (255 - K) / 255} with Pillow's rounded
     * integer division by 255; no colour profile is involved.
     */
    static void toRgb(int c, int m, int y, int k, byte[] out, int at) {
        int nk = 255 - k;
        out[at] = (byte) clip(nk - mulDiv255(c, nk));
        out[at + 1] = (byte) clip(nk - mulDiv255(m, nk));
        out[at + 2] = (byte) clip(nk - mulDiv255(y, nk));
    }

    /** a * b / 255 rounded to nearest, exactly as Pillow's MULDIV255 macro computes it. */
    private static int mulDiv255(int a, int b) {
        int t = a * b + 128;
        return ((t >> 8) + t) >> 8;
    }

    private static int clip(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
