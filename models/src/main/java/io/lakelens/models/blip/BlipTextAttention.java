package io.lakelens.models.blip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lakelens.models.nn.Attention;
import io.lakelens.models.nn.LayerNormLayer;
import io.lakelens.models.nn.LinearLayer;
import io.lakelens.models.nn.ModelBlock;

/**
 * BERT's attention block, used twice per decoder layer: as {@code attention} (causal self-attention)
 * and as {@code crossattention} (text queries over the image states). Projections live under
 * {@code self.{query,key,value}}, the post-LN output under {@code output.{dense,LayerNorm}}.
 * The layer drives the steps so that it can cache keys and values; this class only projects.
 */
public final class BlipTextAttention extends ModelBlock {

    private final int numHeads;
    private final boolean crossAttention;
    private final Projections projections;
    private final Output output;

    /**
     * @param keyValueWidth width of what keys and values are computed from: the text width for
     *     self-attention, {@code encoder_hidden_size} (the vision width) for cross-attention
     * @param isCross whether this is {@code crossattention} (Hugging Face's {@code is_cross_attention})
     */
    BlipTextAttention(BlipTextConfig c, int keyValueWidth, boolean isCross) {
        numHeads = c.numAttentionHeads();
        crossAttention = isCross;
        projections = child("self", new Projections(c.hiddenSize(), keyValueWidth));
        output = child("output", new Output(c));
    }

    /** Queries {@code [R, H, T, d]} from {@code [R, T, D]}. */
    NDArray queries(ParameterStore ps, NDArray x, boolean training) {
        return Attention.splitHeads(projections.query.apply(ps, x, training), numHeads);
    }

    /** Keys and values {@code [R, H, T, d]} from {@code [R, T, keyValueWidth]}. */
    NDList keysValues(ParameterStore ps, NDArray source, boolean training) {
        return new NDList(
                Attention.splitHeads(projections.key.apply(ps, source, training), numHeads),
                Attention.splitHeads(projections.value.apply(ps, source, training), numHeads));
    }

    /** {@code LayerNorm(dense(context) + residual)} with heads already merged: {@code [R, T, D]}. */
    NDArray output(ParameterStore ps, NDArray context, NDArray residual, boolean training) {
        return output.apply(ps, context, residual, training);
    }

    /**
     * The block on whole sequences, without a cache. Self-attention: {@code [x [R, T, D]]} or
     * {@code [x, additiveMask]} (e.g. {@link BlipTextModel#causalMask}); cross-attention: {@code [x,
     * encoderStates [R, N, Dv]]}. Out: {@code [R, T, D]}.
     */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray source = crossAttention ? inputs.get(1) : x;
        NDArray mask = !crossAttention && inputs.size() > 1 ? inputs.get(1) : null;
        NDList kv = keysValues(ps, source, training);
        NDArray context = Attention.attend(queries(ps, x, training), kv.get(0), kv.get(1), mask);
        return new NDList(output(ps, Attention.mergeHeads(context), x, training));
    }

    /** {@code self}: the query, key and value projections. */
    static final class Projections extends ModelBlock {
        final LinearLayer query;
        final LinearLayer key;
        final LinearLayer value;

        Projections(int width, int keyValueWidth) {
            query = child("query", new LinearLayer(width, width, true));
            key = child("key", new LinearLayer(keyValueWidth, width, true));
            value = child("value", new LinearLayer(keyValueWidth, width, true));
        }

        /** {@code [x]} (self) or {@code [x, keyValueSource]} (cross) in, {@code [q, k, v]} out, heads not split. */
        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.get(0);
            NDArray source = inputs.size() > 1 ? inputs.get(1) : x;
            return new NDList(query.apply(ps, x, training), key.apply(ps, source, training),
                    value.apply(ps, source, training));
        }
    }

    /** {@code output} (and BERT's {@code output} after the MLP): dense, then LayerNorm with the residual. */
    static final class Output extends ModelBlock {
        private final LinearLayer dense;
        private final LayerNormLayer layerNorm;

        Output(BlipTextConfig c) {
            this(c.hiddenSize(), c.hiddenSize(), c.layerNormEps());
        }

        Output(int in, int width, double eps) {
            dense = child("dense", new LinearLayer(in, width, true));
            layerNorm = child("LayerNorm", new LayerNormLayer(width, eps));
        }

        NDArray apply(ParameterStore ps, NDArray x, NDArray residual, boolean training) {
            // Adding into the fresh dense output is safe for autograd (addmm does not keep its output).
            return layerNorm.apply(ps, dense.apply(ps, x, training).addi(residual), training);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(apply(ps, inputs.get(0), inputs.get(1), training));
        }
    }
}
