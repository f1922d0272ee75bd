package io.lakelens.models.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lakelens.models.nn.ModelBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * The stack of encoder layers, stored as {@code layers.0}, {@code layers.1}, ... (the checkpoint's
 * {@code nn.ModuleList} is only a name here, not a block of its own).
 */
public final class ClipEncoder extends ModelBlock {

    private final List<ClipEncoderLayer> layers = new ArrayList<>();

    public ClipEncoder(ClipEncoderConfig config) {
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            layers.add(child("layers." + i, new ClipEncoderLayer(config)));
        }
    }

    /**
     * Runs every layer; the result is the encoder's last hidden state.
     *
     * @param x {@code [B, T, D]}
     * @param additiveMask {@code [B or 1, 1, T, T]} or null
     * @return {@code [B, T, D]}
     */
    public NDArray apply(ParameterStore ps, NDArray x, NDArray additiveMask, boolean training) {
        Shape shape = x.getShape();
        // The layers work on [B*T, D] rows (see ClipAttention); reshaping a contiguous array is free.
        NDArray rows = x.reshape(shape.get(0) * shape.get(1), shape.get(2));
        for (ClipEncoderLayer layer : layers) {
            rows = layer.apply(ps, rows, shape.get(1), additiveMask, training);
        }
        return rows.reshape(shape);
    }

    public int numLayers() {
        return layers.size();
    }

    /** {@code [x]} or {@code [x, additiveMask]} in, {@code [last_hidden_state]} out, as {@link #apply}. */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, training));
    }
}
