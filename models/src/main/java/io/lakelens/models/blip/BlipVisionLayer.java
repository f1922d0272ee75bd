package io.lakelens.models.blip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lakelens.models.nn.LayerNormLayer;
import io.lakelens.models.nn.ModelBlock;

/** {@code encoder.layers.N}: a pre-LayerNorm transformer layer. */
public final class BlipVisionLayer extends ModelBlock {

    private final LayerNormLayer layerNorm1;
    private final BlipVisionAttention selfAttn;
    private final LayerNormLayer layerNorm2;
    private final BlipMlp mlp;

    BlipVisionLayer(BlipVisionConfig c) {
        layerNorm1 = child("layer_norm1", new LayerNormLayer(c.hiddenSize(), c.layerNormEps()));
        selfAttn = child("self_attn", new BlipVisionAttention(c));
        layerNorm2 = child("layer_norm2", new LayerNormLayer(c.hiddenSize(), c.layerNormEps()));
        mlp = child("mlp", new BlipMlp(c));
    }

    /** {@code x + attn(ln1(x))}, then {@code h + mlp(ln2(h))}. */
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        // The residual sums go into the fresh projection outputs: autograd never needs those.
        NDArray h = selfAttn.forward(ps, layerNorm1.apply(ps, x, training), training).addi(x);
        return mlp.forward(ps, layerNorm2.apply(ps, h, training), training).addi(h);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training));
    }
}
