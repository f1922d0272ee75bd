package io.lakelens.models.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lakelens.models.nn.ModelBlock;
import java.util.ArrayList;
import java.util.List;

/** The stack of encoder layers, stored as {@code layers.0}, {@code layers.1}, ... */
public final class ClipEncoder extends ModelBlock {

    private final List<ClipEncoderLayer> layers = new ArrayList<>();

    public ClipEncoder(
            int numLayers, int hiddenSize, int numHeads, int intermediateSize, String hiddenAct, double eps) {
        Layers holder = child("layers", new Layers());
        for (int i = 0; i < numLayers; i++) {
            layers.add(holder.add(i, new ClipEncoderLayer(hiddenSize, numHeads, intermediateSize, hiddenAct, eps)));
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

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, training));
    }

    /** Only a name scope: its children are named by their index, as in {@code nn.ModuleList}. */
    static final class Layers extends ModelBlock {

        ClipEncoderLayer add(int index, ClipEncoderLayer layer) {
            return child(Integer.toString(index), layer);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            throw new UnsupportedOperationException("call ClipEncoder.apply");
        }
    }
}
