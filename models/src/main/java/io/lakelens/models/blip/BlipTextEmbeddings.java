package io.lakelens.models.blip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lakelens.models.nn.EmbeddingTable;
import io.lakelens.models.nn.LayerNormLayer;
import io.lakelens.models.nn.ModelBlock;

/**
 * {@code text_decoder.bert.embeddings}: word plus absolute position embeddings, then LayerNorm. BLIP's
 * decoder has no token-type embedding. Positions start at the number of tokens already cached.
 */
public final class BlipTextEmbeddings extends ModelBlock {

    private final BlipTextConfig config;
    private final EmbeddingTable wordEmbeddings;
    private final EmbeddingTable positionEmbeddings;
    private final LayerNormLayer layerNorm;

    BlipTextEmbeddings(BlipTextConfig c) {
        config = c;
        wordEmbeddings = child("word_embeddings", new EmbeddingTable(c.vocabSize(), c.hiddenSize()));
        positionEmbeddings = child("position_embeddings", new EmbeddingTable(c.maxPositionEmbeddings(), c.hiddenSize()));
        layerNorm = child("LayerNorm", new LayerNormLayer(c.hiddenSize(), c.layerNormEps()));
    }

    /**
     * @param ids {@code [R, T]} int64 token ids
     * @param past tokens before these (their positions start here)
     * @return {@code [R, T, D]}
     */
    public NDArray forward(ParameterStore ps, NDArray ids, int past, boolean training) {
        long t = ids.getShape().get(1);
        if (past + t > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("sequence of " + (past + t) + " tokens exceeds max_position_embeddings "
                    + config.maxPositionEmbeddings());
        }
        NDArray positions = ids.getManager().arange(past, past + t, 1, DataType.INT64);
        NDArray words = wordEmbeddings.lookup(ps, ids, training);
        return layerNorm.apply(ps, words.add(positionEmbeddings.lookup(ps, positions, training)), training);
    }

    /** The word table, which the tied language-model head reuses as its output projection. */
    EmbeddingTable wordEmbeddings() {
        return wordEmbeddings;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), 0, training));
    }
}
