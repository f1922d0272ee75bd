package io.lakelens.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** A lookup table ({@code nn.Embedding}): integer ids of any shape to vectors of {@code dim}. */
public final class EmbeddingTable extends ModelBlock {

    private final Parameter weight;

    public EmbeddingTable(long count, long dim) {
        weight = param("weight", Parameter.Type.WEIGHT, count, dim);
    }

    /** Looks up {@code ids} (int64); the result has the ids' shape plus {@code dim}. */
    public NDArray lookup(ParameterStore ps, NDArray ids, boolean training) {
        NDArray table = ps.getValue(weight, ids.getDevice(), training);
        return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }

    /** The table itself, e.g. for a language-model head tied to it. */
    public NDArray table(ParameterStore ps, ai.djl.Device device, boolean training) {
        return ps.getValue(weight, device, training);
    }

    public Parameter weight() {
        return weight;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(lookup(ps, inputs.singletonOrThrow(), training));
    }
}
