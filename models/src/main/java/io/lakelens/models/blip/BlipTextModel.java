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
    private final Group<BlipTextLayer> layers;

    BlipTextModel(BlipTextConfig c) {
        embeddings = child("embeddings", new BlipTextEmbeddings(c));
        List<BlipTextLayer> list = new ArrayList<>();
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            list.add(new BlipTextLayer(c));
        }
        Group<Group<BlipTextLayer>> encoder = child("encoder", new Group<>());
        layers = encoder.add("layer", Group.numbered(list));
    }

    BlipTextEmbeddings embeddings() {
        return embeddings;
    }

    /** Per layer, cross-attention keys then values of the image states. */
    NDList crossKeysValues(ParameterStore ps, NDArray imageStates, boolean training) {
        NDList out = new NDList();
        for (BlipTextLayer layer : layers.members()) {
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

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("use forward(ps, ids, cache, training)");
    }
}
