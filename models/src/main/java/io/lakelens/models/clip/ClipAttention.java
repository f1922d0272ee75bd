package io.lakelens.models.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lakelens.models.nn.Attention;
import io.lakelens.models.nn.LinearLayer;
import io.lakelens.models.nn.ModelBlock;

/** Multi-head self-attention with separate {@code q/k/v/out_proj} projections, as in CLIP. */
public final class ClipAttention extends ModelBlock {

    private final int numHeads;
    private final LinearLayer qProj;
    private final LinearLayer kProj;
    private final LinearLayer vProj;
    private final LinearLayer outProj;

    public ClipAttention(int hiddenSize, int numHeads) {
        this.numHeads = numHeads;
        this.kProj = child("k_proj", new LinearLayer(hiddenSize, hiddenSize, true));
        this.vProj = child("v_proj", new LinearLayer(hiddenSize, hiddenSize, true));
        this.qProj = child("q_proj", new LinearLayer(hiddenSize, hiddenSize, true));
        this.outProj = child("out_proj", new LinearLayer(hiddenSize, hiddenSize, true));
    }

    /**
     * @param x {@code [B, T, D]}
     * @param additiveMask {@code [B, 1, T, T]} (0 keeps, a huge negative drops) or null
     * @return {@code [B, T, D]}
     */
    public NDArray apply(ParameterStore ps, NDArray x, NDArray additiveMask, boolean training) {
        NDArray q = Attention.splitHeads(qProj.apply(ps, x, training), numHeads);
        NDArray k = Attention.splitHeads(kProj.apply(ps, x, training), numHeads);
        NDArray v = Attention.splitHeads(vProj.apply(ps, x, training), numHeads);
        NDArray context = Attention.attend(q, k, v, additiveMask);
        return outProj.apply(ps, Attention.mergeHeads(context), training);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, training));
    }
}
