package io.lakelens.models.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lakelens.models.nn.Attention;
import io.lakelens.models.nn.LinearLayer;
import io.lakelens.models.nn.ModelBlock;

/**
 * Multi-head self-attention with separate {@code q/k/v/out_proj} projections, as in CLIP.
 *
 * <p>Activations travel as 2-D {@code [B*T, D]} rows: DJL's linear then runs as one {@code addmm}
 * (bias fused into the matrix multiply) instead of {@code matmul} plus a separate bias pass over
 * the output, which is what it does for 3-D input.
 */
public final class ClipAttention extends ModelBlock {

    private final int numHeads;
    private final LinearLayer qProj;
    private final LinearLayer kProj;
    private final LinearLayer vProj;
    private final LinearLayer outProj;

    public ClipAttention(ClipEncoderConfig config) {
        int hiddenSize = config.hiddenSize();
        this.numHeads = config.numAttentionHeads();
        this.kProj = child("k_proj", new LinearLayer(hiddenSize, hiddenSize, true));
        this.vProj = child("v_proj", new LinearLayer(hiddenSize, hiddenSize, true));
        this.qProj = child("q_proj", new LinearLayer(hiddenSize, hiddenSize, true));
        this.outProj = child("out_proj", new LinearLayer(hiddenSize, hiddenSize, true));
    }

    /**
     * @param rows {@code [B*T, D]}: the batch's token rows, sequence by sequence
     * @param length T, the tokens per sequence
     * @param additiveMask {@code [B or 1, 1, T, T]} (0 keeps, a huge negative drops) or null
     * @return {@code [B*T, D]}
     */
    public NDArray apply(ParameterStore ps, NDArray rows, long length, NDArray additiveMask, boolean training) {
        NDArray q = heads(qProj.apply(ps, rows, training), length);
        NDArray k = heads(kProj.apply(ps, rows, training), length);
        NDArray v = heads(vProj.apply(ps, rows, training), length);
        NDArray context = Attention.mergeHeads(Attention.attend(q, k, v, additiveMask));
        return outProj.apply(ps, context.reshape(rows.getShape()), training);
    }

    /** {@code [B*T, D]} to {@code [B, H, T, D/H]}. */
    private NDArray heads(NDArray rows, long length) {
        long width = rows.getShape().get(1);
        return Attention.splitHeads(rows.reshape(rows.getShape().get(0) / length, length, width), numHeads);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        // [B, T, D] (and a mask) in, [B, T, D] out.
        NDArray x = inputs.get(0);
        long length = x.getShape().get(1);
        NDArray rows = x.reshape(-1, x.getShape().get(2));
        return new NDList(apply(ps, rows, length, inputs.size() > 1 ? inputs.get(1) : null, training)
                .reshape(x.getShape()));
    }
}
