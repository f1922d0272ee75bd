package io.lakelens.models.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lakelens.models.nn.EmbeddingTable;
import io.lakelens.models.nn.ModelBlock;

/** {@code token_embedding[ids] + position_embedding[0..T-1]}. */
public final class ClipTextEmbeddings extends ModelBlock {

    private final EmbeddingTable tokenEmbedding;
    private final EmbeddingTable positionEmbedding;
    private final int maxPositions;

    public ClipTextEmbeddings(ClipTextConfig config) {
        this.maxPositions = config.maxPositionEmbeddings();
        this.tokenEmbedding = child("token_embedding", new EmbeddingTable(config.vocabSize(), config.hiddenSize()));
        this.positionEmbedding =
                child("position_embedding", new EmbeddingTable(config.maxPositionEmbeddings(), config.hiddenSize()));
    }

    /**
     * @param ids {@code [B, T]} int64 token ids, {@code T <= max_position_embeddings}
     * @return {@code [B, T, D]}
     */
    public NDArray apply(ParameterStore ps, NDArray ids, boolean training) {
        long length = ids.getShape().get(1);
        if (length > maxPositions) {
            throw new IllegalArgumentException(
                    "text of " + length + " tokens is longer than max_position_embeddings " + maxPositions);
        }
        // Positions are created beside the ids (same manager and device), never from the table.
        NDArray positions = ids.getManager().arange(0, length, 1, DataType.INT64);
        NDArray tokens = tokenEmbedding.lookup(ps, ids, training);
        return tokens.add(positionEmbedding.lookup(ps, positions, training));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }
}
