package io.lakelens.models.blip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.lakelens.models.generation.DecoderSession;

/**
 * BLIP's caption decoder behind the model-independent {@link DecoderSession}: image keys and values
 * are computed once at construction, and every step runs in its own scope so that native memory
 * returns to the same level after each token.
 *
 * <p>Public for step-level use (benchmarks, custom decoding); {@link BlipGenerator} is the usual way.
 * One session belongs to one thread.
 */
public final class BlipDecoderSession implements DecoderSession, AutoCloseable {

    private final BlipTextDecoder decoder;
    private final ParameterStore ps;
    private final NDManager manager;
    private final DecoderCache cache;

    /**
     * @param imageStates vision {@code last_hidden_state} {@code [I, N, Dv]}; one row per image to start
     * @param capacity tokens per row at most (decoder prompt plus new tokens)
     */
    public BlipDecoderSession(BlipTextDecoder decoder, ParameterStore ps, NDManager manager, NDArray imageStates,
            int capacity) {
        this.decoder = decoder;
        this.ps = ps;
        this.manager = manager;
        BlipTextConfig c = decoder.config();
        NDList crossKeysValues = Scoped.keepAll(() -> decoder.crossKeysValues(ps, imageStates, false));
        int images = (int) imageStates.getShape().get(0);
        this.cache = DecoderCache.forGeneration(manager, crossKeysValues, images, capacity,
                c.numAttentionHeads(), c.hiddenSize() / c.numAttentionHeads());
    }

    @Override
    public float[][] forward(int[][] tokens) {
        int rows = tokens.length;
        int t = tokens[0].length;
        if (rows != cache.rows()) {
            throw new IllegalArgumentException("session has " + cache.rows() + " rows, got tokens for " + rows);
        }
        long[] flat = new long[rows * t];
        for (int r = 0; r < rows; r++) {
            if (tokens[r].length != t) {
                throw new IllegalArgumentException("every row must feed the same number of tokens");
            }
            for (int j = 0; j < t; j++) {
                flat[r * t + j] = tokens[r][j];
            }
        }
        float[] logits;
        try (NDScope scope = new NDScope(); NDManager step = manager.newSubManager()) {
            NDArray ids = step.create(flat, new Shape(rows, t));
            NDArray out = decoder.nextTokenLogits(ps, ids, cache, false);
            if (out.getDataType() != DataType.FLOAT32) {
                out = out.toType(DataType.FLOAT32, false);
            }
            logits = out.toFloatArray();
        }
        int vocab = logits.length / rows;
        float[][] perRow = new float[rows][];
        for (int r = 0; r < rows; r++) {
            perRow[r] = new float[vocab];
            System.arraycopy(logits, r * vocab, perRow[r], 0, vocab);
        }
        return perRow;
    }

    @Override
    public void select(int[] rowSources, int[] imageSources) {
        try (NDScope scope = new NDScope()) {
            cache.select(rowSources, imageSources);
        }
    }

    @Override
    public void close() {
        cache.close();
    }
}
