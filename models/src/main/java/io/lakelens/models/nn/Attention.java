package io.lakelens.models.nn;

import ai.djl.ndarray.NDArray;

/**
 * Scaled dot-product attention over already projected queries, keys and values, shared by the CLIP
 * and BLIP layers (which differ only in how they name and fuse their projections).
 */
public final class Attention {

    private Attention() {}

    /**
     * Splits {@code [B, T, H*d]} into heads: {@code [B, H, T, d]}.
     */
    public static NDArray splitHeads(NDArray x, int numHeads) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        long width = x.getShape().get(2);
        return x.reshape(b, t, numHeads, width / numHeads).transpose(0, 2, 1, 3);
    }

    /** Joins heads back: {@code [B, H, T, d]} to {@code [B, T, H*d]}. */
    public static NDArray mergeHeads(NDArray x) {
        long b = x.getShape().get(0);
        long h = x.getShape().get(1);
        long t = x.getShape().get(2);
        long d = x.getShape().get(3);
        return x.transpose(0, 2, 1, 3).reshape(b, t, h * d);
    }

    /**
     * softmax(q k^T * scale + mask) v, per head.
     *
     * @param q {@code [B, H, Tq, d]}
     * @param k {@code [B, H, Tk, d]}
     * @param v {@code [B, H, Tk, d]}
     * @param additiveMask broadcastable to {@code [B, H, Tq, Tk]} (0 to keep, a large negative number
     *     to drop), or null
     * @return {@code [B, H, Tq, d]}
     */
    public static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray additiveMask) {
        double scale = 1.0 / Math.sqrt(q.getShape().get(3));
        NDArray scores = q.mul((float) scale).matMul(k.transpose(0, 1, 3, 2));
        if (additiveMask != null) {
            scores = scores.add(additiveMask);
        }
        return scores.softmax(-1).matMul(v);
    }
}
