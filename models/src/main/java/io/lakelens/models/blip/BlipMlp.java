package io.lakelens.models.blip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lakelens.models.nn.Activations;
import io.lakelens.models.nn.LinearLayer;
import io.lakelens.models.nn.ModelBlock;
import java.util.function.UnaryOperator;

/** {@code mlp} of a vision layer: {@code fc2(act(fc1(x)))}. */
public final class BlipMlp extends ModelBlock {

    private final LinearLayer fc1;
    private final LinearLayer fc2;
    private final UnaryOperator<NDArray> act;

    BlipMlp(BlipVisionConfig c) {
        fc1 = child("fc1", new LinearLayer(c.hiddenSize(), c.intermediateSize(), true));
        fc2 = child("fc2", new LinearLayer(c.intermediateSize(), c.hiddenSize(), true));
        act = Activations.forName(c.hiddenAct());
    }

    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        return fc2.apply(ps, act.apply(fc1.apply(ps, x, training)), training);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training));
    }
}
