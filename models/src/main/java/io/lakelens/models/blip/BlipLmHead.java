package io.lakelens.models.blip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lakelens.models.nn.Activations;
import io.lakelens.models.nn.LayerNormLayer;
import io.lakelens.models.nn.LinearLayer;
import io.lakelens.models.nn.ModelBlock;
import java.util.function.UnaryOperator;

/**
 * {@code text_decoder.cls.predictions}: {@code transform.dense} -> act -> {@code transform.LayerNorm},
 * then the vocabulary projection plus {@code bias}. The projection is the word-embedding table (tied,
 * the default), so the checkpoint's {@code decoder.weight}/{@code decoder.bias}, when present, are
 * copies that are not loaded twice. With {@code tie_word_embeddings: false} the head has its own
 * {@code decoder.weight}.
 */
public final class BlipLmHead extends ModelBlock {

    private final LinearLayer transformDense;
    private final LayerNormLayer transformLayerNorm;
    private final UnaryOperator<NDArray> act;
    private final LinearLayer untiedDecoder;
    private final Parameter bias;

    BlipLmHead(BlipTextConfig c) {
        transformDense = child("transform.dense", new LinearLayer(c.hiddenSize(), c.hiddenSize(), true));
        transformLayerNorm = child("transform.LayerNorm", new LayerNormLayer(c.hiddenSize(), c.layerNormEps()));
        act = Activations.forName(c.hiddenAct());
        untiedDecoder = c.tieWordEmbeddings() ? null
                : child("decoder", new LinearLayer(c.hiddenSize(), c.vocabSize(), false));
        bias = param("bias", Parameter.Type.BIAS, c.vocabSize());
    }

    /**
     * @param h {@code [..., D]}
     * @param wordTable the word embeddings {@code [V, D]} (ignored when untied)
     * @return logits {@code [..., V]}
     */
    public NDArray logits(ParameterStore ps, NDArray h, NDArray wordTable, boolean training) {
        NDArray x = transformLayerNorm.apply(ps, act.apply(transformDense.apply(ps, h, training)), training);
        NDArray b = ps.getValue(bias, h.getDevice(), training);
        if (untiedDecoder != null) {
            return untiedDecoder.apply(ps, x, training).addi(b);
        }
        return Linear.linear(x, wordTable, b).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(logits(ps, inputs.get(0), inputs.get(1), training));
    }
}
