package io.lakelens.models.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lakelens.models.nn.LayerNormLayer;
import io.lakelens.models.nn.ModelBlock;

/** CLIP's vision tower: a ViT with a pre-encoder layer norm, pooled at the class token. */
public final class ClipVisionTransformer extends ModelBlock {

    /**
     * @param lastHiddenState {@code [B, 1 + (S/P)^2, D]}, the encoder output before {@code
     *     post_layernorm}
     * @param pooled {@code [B, D]}: {@code post_layernorm} of the class token
     */
    public record Output(NDArray lastHiddenState, NDArray pooled) {}

    private final ClipVisionConfig config;
    private final ClipVisionEmbeddings embeddings;
    private final LayerNormLayer preLayrnorm;
    private final ClipEncoder encoder;
    private final LayerNormLayer postLayernorm;

    public ClipVisionTransformer(ClipVisionConfig config) {
        this.config = config;
        this.embeddings = child("embeddings", new ClipVisionEmbeddings(config));
        // "pre_layrnorm" (sic) is the checkpoint's name.
        this.preLayrnorm = child("pre_layrnorm", new LayerNormLayer(config.hiddenSize(), config.layerNormEps()));
        this.encoder = child("encoder", new ClipEncoder(config));
        this.postLayernorm = child("post_layernorm", new LayerNormLayer(config.hiddenSize(), config.layerNormEps()));
    }

    /**
     * @param pixels {@code [B, C, S, S]}, already resized, cropped and normalised
     */
    public Output apply(ParameterStore ps, NDArray pixels, boolean training) {
        NDArray h = preLayrnorm.apply(ps, embeddings.apply(ps, pixels, training), training);
        h = encoder.apply(ps, h, null, training);
        NDArray classToken = h.get(":, 0, :");
        return new Output(h, postLayernorm.apply(ps, classToken, training));
    }

    public ClipVisionConfig config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        Output out = apply(ps, inputs.singletonOrThrow(), training);
        return new NDList(out.lastHiddenState(), out.pooled());
    }
}
