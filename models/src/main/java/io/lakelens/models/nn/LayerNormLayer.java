package io.lakelens.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Layer normalisation over the last axis with PyTorch's {@code weight}/{@code bias} names. */
public final class LayerNormLayer extends ModelBlock {

    private final Parameter weight;
    private final Parameter bias;
    private final Shape normalizedShape;
    private final float eps;

    public LayerNormLayer(long dim, double eps) {
        this.weight = param("weight", Parameter.Type.GAMMA, dim);
        this.bias = param("bias", Parameter.Type.BETA, dim);
        this.normalizedShape = new Shape(dim);
        this.eps = (float) eps;
    }

    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        return LayerNorm.layerNorm(
                        x,
                        normalizedShape,
                        ps.getValue(weight, x.getDevice(), training),
                        ps.getValue(bias, x.getDevice(), training),
                        eps)
                .singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }
}
