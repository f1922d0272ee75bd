package io.lakelens.models.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lakelens.models.nn.Activations;
import io.lakelens.models.nn.LinearLayer;
import io.lakelens.models.nn.ModelBlock;
import java.util.function.UnaryOperator;

/** {@code fc2(act(fc1(x)))}. */
public final class ClipMlp extends ModelBlock {

    private final LinearLayer fc1;
    private final LinearLayer fc2;
    private final UnaryOperator<NDArray> activation;

    public ClipMlp(ClipEncoderConfig config) {
        this.activation = Activations.forName(config.hiddenAct());
        this.fc1 = child("fc1", new LinearLayer(config.hiddenSize(), config.intermediateSize(), true));
        this.fc2 = child("fc2", new LinearLayer(config.intermediateSize(), config.hiddenSize(), true));
    }

    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        return fc2.apply(ps, activation.apply(fc1.apply(ps, x, training)), training);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }
}
