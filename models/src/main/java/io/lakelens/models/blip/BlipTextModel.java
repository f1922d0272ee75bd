package io.lakelens.models.blip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lakelens.models.nn.ModelBlock;
import java.util.ArrayList;
import java.util.List;

/** {@code text_decoder.bert}: embeddings and the decoder layers (no pooler: captioning has none). */
public final class BlipTextModel extends ModelBlock {

    private final BlipTextEmbeddings embeddings;
    private final List<BlipTextLayer> layers = new ArrayList<>();

    BlipTextModel(BlipTextConfig c) {
        embeddings = child("embeddings", new BlipTextEmbeddings(c));
        // The checkpoint's encoder holds nothing but the layer list: a name here.
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            layers.add(child("encoder.layer." + i, new BlipTextLayer(c)));
        }
    }

    BlipTextEmbeddings embeddings() {
        return embeddings;
    }

    /** Per layer, cross-attention keys then values of the image states. */
    NDList crossKeysValues(ParameterStore ps, NDArray imageStates, boolean training) {
        NDList out = new NDList();
        for (BlipTextLayer layer : layers) {
            out.addAll(Scoped.keepAll(() -> layer.crossKeysValues(ps, imageStates, training)));
        }
        return out;
    }

    /**
     * Runs new tokens through the decoder, reading and extending the cache.
     *
     * @param ids {@code [R, T]} int64
     * @return hidden states {@code [R, T, D]}
     */
    public NDArray forward(ParameterStore ps, NDArray ids, DecoderCache cache, boolean training) {
        int past = cache.length();
        int t = (int) ids.getShape().get(1);
        NDArray x = Scoped.keep(() -> embeddings.forward(ps, ids, past, training));
        NDArray mask = t > 1 ? causalMask(ids.getManager(), t, past) : null;
        for (int l = 0; l < layers.size(); l++) {
            NDArray in = x;
            int index = l;
            x = Scoped.keep(() -> layers.get(index).forward(ps, in, index, cache, mask, training));
            in.close();
        }
        cache.advance(t);
        return x;
    }

    /**
     * Additive mask {@code [T, past + T]}: query {@code i} (position {@code past + i}) sees keys up to
     * its own position. The fill is float32's lowest value, as Hugging Face's extended attention mask.
     */
    static NDArray causalMask(NDManager manager, int t, int past) {
        int keys = past + t;
        float[] mask = new float[t * keys];
        for (int i = 0; i < t; i++) {
            for (int j = past + i + 1; j < keys; j++) {
                mask[i * keys + j] = -Float.MAX_VALUE;
            }
        }
        return manager.create(mask, new Shape(t, keys));
    }

    /**
     * A full-sequence pass without a cache (teacher forcing): {@code [ids [B, T], imageStates [B, N, Dv]]}
     * in, hidden states {@code [B, T, D]} out.
     */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        try (DecoderCache cache = DecoderCache.uncached(ids.getManager(), crossKeysValues(ps, inputs.get(1), training))) {
            return new NDList(forward(ps, ids, cache, training));
        }
    }
}
