package io.lakelens.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** {@code y = x W^T + b} over the last axis, with PyTorch's {@code nn.Linear} parameter layout. */
public final class LinearLayer extends ModelBlock {

    private final Parameter weight;
    private final Parameter bias;

    public LinearLayer(long inFeatures, long outFeatures, boolean withBias) {
        weight = param("weight", Parameter.Type.WEIGHT, outFeatures, inFeatures);
        bias = withBias ? param("bias", Parameter.Type.BIAS, outFeatures) : null;
    }

    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = bias == null ? null : ps.getValue(bias, x.getDevice(), training);
        return Linear.linear(x, w, b).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }
}
