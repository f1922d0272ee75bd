package io.lakelens.models.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lakelens.models.nn.LayerNormLayer;
import io.lakelens.models.nn.ModelBlock;

/** A pre-norm transformer layer: {@code x += attn(ln1(x)); x += mlp(ln2(x))}. */
public final class ClipEncoderLayer extends ModelBlock {

    private final ClipAttention selfAttn;
    private final LayerNormLayer layerNorm1;
    private final ClipMlp mlp;
    private final LayerNormLayer layerNorm2;

    public ClipEncoderLayer(ClipEncoderConfig config) {
        this.selfAttn = child("self_attn", new ClipAttention(config));
        this.layerNorm1 = child("layer_norm1", new LayerNormLayer(config.hiddenSize(), config.layerNormEps()));
        this.mlp = child("mlp", new ClipMlp(config));
        this.layerNorm2 = child("layer_norm2", new LayerNormLayer(config.hiddenSize(), config.layerNormEps()));
    }

    /**
     * @param rows {@code [B*T, D]}
     * @param length T
     * @param additiveMask the attention mask, or null
     */
    public NDArray apply(ParameterStore ps, NDArray rows, long length, NDArray additiveMask, boolean training) {
        NDArray h = rows.add(selfAttn.apply(ps, layerNorm1.apply(ps, rows, training), length, additiveMask, training));
        return h.add(mlp.apply(ps, layerNorm2.apply(ps, h, training), training));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        // [B, T, D] (and a mask) in, [B, T, D] out.
        NDArray x = inputs.get(0);
        NDArray rows = x.reshape(-1, x.getShape().get(2));
        return new NDList(apply(ps, rows, x.getShape().get(1), inputs.size() > 1 ? inputs.get(1) : null, training)
                .reshape(x.getShape()));
    }
}
