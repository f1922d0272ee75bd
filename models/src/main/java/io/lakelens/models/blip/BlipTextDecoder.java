package io.lakelens.models.blip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lakelens.models.nn.ModelBlock;

/**
 * {@code text_decoder} (Hugging Face's {@code BlipTextLMHeadModel}): the BERT decoder {@code bert}
 * and the language-model head {@code cls.predictions}.
 */
public final class BlipTextDecoder extends ModelBlock {

    private final BlipTextConfig config;
    private final BlipTextModel bert;
    private final BlipLmHead predictions;

    BlipTextDecoder(BlipTextConfig c) {
        config = c;
        bert = child("bert", new BlipTextModel(c));
        // cls (BlipTextOnlyMLMHead) holds only the prediction head: a name level.
        predictions = child("cls.predictions", new BlipLmHead(c));
    }

    public BlipTextConfig config() {
        return config;
    }

    /**
     * Cross-attention keys and values for every layer, computed once per image.
     *
     * @param imageStates {@code [I, N, Dv]} (vision {@code last_hidden_state})
     * @return per layer keys then values, {@code [I, H, N, d]} each
     */
    public NDList crossKeysValues(ParameterStore ps, NDArray imageStates, boolean training) {
        return bert.crossKeysValues(ps, imageStates, training);
    }

    /**
     * One decoding step: feeds {@code ids} after what the cache holds and returns the logits at each
     * row's last position.
     *
     * @param ids {@code [R, T]} int64
     * @return {@code [R, V]}
     */
    public NDArray nextTokenLogits(ParameterStore ps, NDArray ids, DecoderCache cache, boolean training) {
        NDArray hidden = bert.forward(ps, ids, cache, training);
        NDArray last = hidden.get(new NDIndex(":, -1, :"));
        return predictions.logits(ps, last, wordTable(ps, ids, training), training);
    }

    /**
     * Teacher-forced logits for whole sequences (training, evaluation).
     *
     * @param ids {@code [B, T]} int64, starting with the BOS token
     * @param imageStates {@code [B, N, Dv]}
     * @return {@code [B, T, V]}
     */
    public NDArray logits(ParameterStore ps, NDArray ids, NDArray imageStates, boolean training) {
        try (DecoderCache cache = DecoderCache.uncached(ids.getManager(), crossKeysValues(ps, imageStates, training))) {
            NDArray hidden = bert.forward(ps, ids, cache, training);
            return predictions.logits(ps, hidden, wordTable(ps, ids, training), training);
        }
    }

    private NDArray wordTable(ParameterStore ps, NDArray like, boolean training) {
        return bert.embeddings().wordEmbeddings().table(ps, like.getDevice(), training);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(logits(ps, inputs.get(0), inputs.get(1), training));
    }
}
