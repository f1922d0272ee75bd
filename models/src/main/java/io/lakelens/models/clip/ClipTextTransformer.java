package io.lakelens.models.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lakelens.models.nn.LayerNormLayer;
import io.lakelens.models.nn.ModelBlock;

/**
 * CLIP's text tower: embeddings, a causally masked encoder, {@code final_layer_norm}, and the
 * pooled output at each text's end-of-text token.
 */
public final class ClipTextTransformer extends ModelBlock {

    /**
     * @param lastHiddenState {@code [B, T, D]} after {@code final_layer_norm}
     * @param pooled {@code [B, D]}: {@code lastHiddenState} at each row's EOS position
     */
    public record Output(NDArray lastHiddenState, NDArray pooled) {}

    private final ClipTextConfig config;
    private final ClipTextEmbeddings embeddings;
    private final ClipEncoder encoder;
    private final LayerNormLayer finalLayerNorm;

    public ClipTextTransformer(ClipTextConfig config) {
        this.config = config;
        this.embeddings = child("embeddings", new ClipTextEmbeddings(config));
        this.encoder = child("encoder", new ClipEncoder(config));
        this.finalLayerNorm = child("final_layer_norm", new LayerNormLayer(config.hiddenSize(), config.layerNormEps()));
    }

    /**
     * @param ids {@code [B, T]} int64; rows padded to a common length T (any pad id: padding is
     *     masked, and pooling finds the EOS before it)
     * @param attentionMask {@code [B, T]} 1 for tokens, 0 for padding (any integer or float type),
     *     or null when no row is padded
     */
    public Output apply(ParameterStore ps, NDArray ids, NDArray attentionMask, boolean training) {
        NDArray h = embeddings.apply(ps, ids, training);
        NDArray mask = additiveMask(ids.getManager(), ids.getShape().get(1), attentionMask, h.getDataType());
        h = finalLayerNorm.apply(ps, encoder.apply(ps, h, mask, training), training);
        long b = h.getShape().get(0);
        long d = h.getShape().get(2);
        NDArray index = poolingPositions(ids).reshape(b, 1, 1).broadcast(b, 1, d);
        return new Output(h, h.gather(index, 1).reshape(b, d));
    }

    /**
     * Where each row is pooled, {@code [B]} int64: {@code argmax(ids)} when the config says {@code
     * eos_token_id == 2} (the legacy rule; the EOS 49407 is the largest id), otherwise the first
     * position holding {@code eos_token_id}. Both use argmax's first-maximum rule, so padding after
     * the EOS (with any id not above it) never moves the pooling position.
     */
    public NDArray poolingPositions(NDArray ids) {
        if (config.poolsAtArgmax()) {
            return ids.argMax(1);
        }
        return ids.eq(config.eosTokenId()).toType(DataType.INT32, false).argMax(1);
    }

    /**
     * Causal mask combined with the padding mask, as one additive {@code [B or 1, 1, T, T]} tensor:
     * 0 where query i may see key j (j <= i and j is a token), the type's most negative value
     * elsewhere. Every query sees at least key 0 (the start token), so no row is fully masked.
     */
    static NDArray additiveMask(NDManager manager, long length, NDArray attentionMask, DataType type) {
        NDArray positions = manager.arange(0, length, 1, DataType.INT64);
        NDArray future = positions.reshape(1, 1, 1, length).gt(positions.reshape(1, 1, length, 1));
        NDArray blocked = future;
        if (attentionMask != null) {
            long b = attentionMask.getShape().get(0);
            blocked = future.logicalOr(attentionMask.eq(0).reshape(b, 1, 1, length));
        }
        return blocked.toType(type, false).mul(Tensors.maskMin(type));
    }

    public ClipTextConfig config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        Output out = apply(ps, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, training);
        return new NDList(out.lastHiddenState(), out.pooled());
    }
}
