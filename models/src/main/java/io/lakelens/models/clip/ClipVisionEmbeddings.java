package io.lakelens.models.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lakelens.models.nn.EmbeddingTable;
import io.lakelens.models.nn.ModelBlock;

/** Patch embeddings with the class token prepended, plus learned position embeddings. */
public final class ClipVisionEmbeddings extends ModelBlock {

    private final Parameter classEmbedding;
    private final ClipPatchEmbedding patchEmbedding;
    private final EmbeddingTable positionEmbedding;
    private final ClipVisionConfig config;

    public ClipVisionEmbeddings(ClipVisionConfig config) {
        this.config = config;
        this.classEmbedding = param("class_embedding", Parameter.Type.WEIGHT, config.hiddenSize());
        this.patchEmbedding = child("patch_embedding",
                new ClipPatchEmbedding(config.numChannels(), config.patchSize(), config.hiddenSize()));
        this.positionEmbedding =
                child("position_embedding", new EmbeddingTable(config.numPositions(), config.hiddenSize()));
    }

    /**
     * @param pixels {@code [B, C, S, S]}, S = {@code image_size}
     * @return {@code [B, 1 + (S/P)^2, D]}
     */
    public NDArray apply(ParameterStore ps, NDArray pixels, boolean training) {
        long b = pixels.getShape().get(0);
        NDArray patches = patchEmbedding.apply(ps, pixels, training);
        NDArray cls = ps.getValue(classEmbedding, pixels.getDevice(), training);
        // Views of parameters land in the parameters' manager; move them to the batch's so they
        // are freed with it.
        NDArray clsTokens = Tensors.onManagerOf(patches, cls.reshape(1, 1, config.hiddenSize()))
                .broadcast(b, 1, config.hiddenSize());
        NDArray tokens = clsTokens.concat(patches, 1);
        return tokens.add(positionEmbedding.table(ps, pixels.getDevice(), training));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }
}
