package io.lakelens.models.blip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lakelens.models.nn.Activations;
import io.lakelens.models.nn.Attention;
import io.lakelens.models.nn.LinearLayer;
import io.lakelens.models.nn.ModelBlock;
import java.util.function.UnaryOperator;

/**
 * {@code text_decoder.bert.encoder.layer.N}: a post-LN BERT layer with cross-attention. Causal
 * self-attention, then attention over the image states, then the MLP; each sub-block is
 * {@code LayerNorm(x + sublayer(x))}.
 */
public final class BlipTextLayer extends ModelBlock {

    private final int width;
    private final BlipTextAttention attention;
    private final BlipTextAttention crossattention;
    private final LinearLayer intermediateDense;
    private final BlipTextAttention.Output output;
    private final UnaryOperator<NDArray> act;

    BlipTextLayer(BlipTextConfig c) {
        width = c.hiddenSize();
        attention = child("attention", new BlipTextAttention(c, c.hiddenSize(), false));
        crossattention = child("crossattention", new BlipTextAttention(c, c.encoderHiddenSize(), true));
        intermediateDense = child("intermediate.dense", new LinearLayer(c.hiddenSize(), c.intermediateSize(), true));
        output = child("output", new BlipTextAttention.Output(c.intermediateSize(), c.hiddenSize(), c.layerNormEps()));
        act = Activations.forName(c.hiddenAct());
    }

    /** Cross-attention keys and values of the image states {@code [I, N, Dv]}: {@code [I, H, N, d]} each. */
    NDList crossKeysValues(ParameterStore ps, NDArray imageStates, boolean training) {
        return crossattention.keysValues(ps, imageStates, training);
    }

    /**
     * @param x {@code [R, T, D]}, rows image-major
     * @param index this layer's number in the cache
     * @param causalMask additive {@code [T, past + T]} mask, or null when {@code T == 1}
     */
    public NDArray forward(ParameterStore ps, NDArray x, int index, DecoderCache cache, NDArray causalMask,
            boolean training) {
        NDArray q = attention.queries(ps, x, training);
        NDList kv = attention.keysValues(ps, x, training);
        NDList all = cache.appendSelf(index, kv.get(0), kv.get(1));
        NDArray selfContext = Attention.attend(q, all.get(0), all.get(1), causalMask);
        NDArray a = attention.output(ps, Attention.mergeHeads(selfContext), x, training);

        // An image's rows (beams) query the same image keys: fold them into one query block of
        // rowsPerImage * T positions, so the image keys are never repeated per beam.
        long rows = a.getShape().get(0);
        long t = a.getShape().get(1);
        long images = cache.images();
        NDArray folded = a.reshape(images, rows / images * t, width);
        NDArray crossContext = Attention.attend(crossattention.queries(ps, folded, training),
                cache.crossKeys(index), cache.crossValues(index), null);
        NDArray c = crossattention.output(ps, Attention.mergeHeads(crossContext).reshape(rows, t, width), a, training);

        return output.apply(ps, act.apply(intermediateDense.apply(ps, c, training)), c, training);
    }

    /**
     * The layer alone on whole sequences, without a cache: {@code [x [B, T, D], imageStates [B, N, Dv]]}
     * in, {@code [B, T, D]} out; self-attention is causal, as in the decoder.
     */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        int t = (int) x.getShape().get(1);
        NDArray mask = t > 1 ? BlipTextModel.causalMask(x.getManager(), t, 0) : null;
        try (DecoderCache cache = DecoderCache.uncached(x.getManager(), crossKeysValues(ps, inputs.get(1), training))) {
            return new NDList(forward(ps, x, 0, cache, mask, training));
        }
    }
}
