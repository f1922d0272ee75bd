package io.lakelens.models.blip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lakelens.models.nn.LayerNormLayer;
import io.lakelens.models.nn.ModelBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code vision_model}: embeddings, pre-LN layers, then {@code post_layernorm} over the whole
 * sequence. The caption decoder cross-attends to that normalised sequence ({@code last_hidden_state}).
 */
public final class BlipVisionModel extends ModelBlock {

    private final BlipVisionConfig config;
    private final BlipVisionEmbeddings embeddings;
    private final List<BlipVisionLayer> layers = new ArrayList<>();
    private final LayerNormLayer postLayernorm;

    BlipVisionModel(BlipVisionConfig config) {
        this.config = config;
        embeddings = child("embeddings", new BlipVisionEmbeddings(config));
        // The checkpoint's encoder (BlipEncoder) holds nothing but the layer list: a name here.
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            layers.add(child("encoder.layers." + i, new BlipVisionLayer(config)));
        }
        postLayernorm = child("post_layernorm", new LayerNormLayer(config.hiddenSize(), config.layerNormEps()));
    }

    public BlipVisionConfig config() {
        return config;
    }

    /**
     * @param pixels {@code [B, C, S, S]} normalised pixel values
     * @return {@code last_hidden_state} {@code [B, N+1, D]}, after {@code post_layernorm}
     */
    public NDArray forward(ParameterStore ps, NDArray pixels, boolean training) {
        NDArray x = Scoped.keep(() -> embeddings.forward(ps, pixels, training));
        for (BlipVisionLayer layer : layers) {
            NDArray in = x;
            // Each layer's intermediates (and its input) are freed before the next layer runs.
            x = Scoped.keep(() -> layer.forward(ps, in, training));
            in.close();
        }
        NDArray last = x;
        NDArray out = Scoped.keep(() -> postLayernorm.apply(ps, last, training));
        last.close();
        return out;
    }

    /**
     * Hugging Face's {@code pooler_output}: {@code post_layernorm} applied again, to the class token of
     * {@code last_hidden_state}. Captioning does not use it.
     */
    public NDArray pooled(ParameterStore ps, NDArray lastHiddenState, boolean training) {
        return postLayernorm.apply(ps, lastHiddenState.get(new NDIndex(":, 0, :")), training);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training));
    }
}
