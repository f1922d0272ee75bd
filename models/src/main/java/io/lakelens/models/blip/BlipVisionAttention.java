package io.lakelens.models.blip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lakelens.models.nn.Attention;
import io.lakelens.models.nn.LinearLayer;
import io.lakelens.models.nn.ModelBlock;

/**
 * {@code self_attn} of a vision layer: one fused {@code qkv} projection whose output rows are
 * {@code [q; k; v]} (each head-major), full attention over all patches, then {@code projection}.
 */
public final class BlipVisionAttention extends ModelBlock {

    private final int numHeads;
    private final long width;
    private final LinearLayer qkv;
    private final LinearLayer projection;

    BlipVisionAttention(BlipVisionConfig c) {
        numHeads = c.numAttentionHeads();
        width = c.hiddenSize();
        qkv = child("qkv", new LinearLayer(width, 3 * width, true));
        projection = child("projection", new LinearLayer(width, width, true));
    }

    /** {@code [B, T, D]} to {@code [B, T, D]}. */
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        NDList qkvParts = qkv.apply(ps, x, training).split(3, 2);
        NDArray q = Attention.splitHeads(qkvParts.get(0), numHeads);
        NDArray k = Attention.splitHeads(qkvParts.get(1), numHeads);
        NDArray v = Attention.splitHeads(qkvParts.get(2), numHeads);
        NDArray context = Attention.mergeHeads(Attention.attend(q, k, v, null));
        return projection.apply(ps, context, training);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training));
    }
}
