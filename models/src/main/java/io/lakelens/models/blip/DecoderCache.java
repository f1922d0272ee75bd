package io.lakelens.models.blip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The caption decoder's key/value cache, so that each new token costs the same however long the
 * caption already is.
 *
 * <ul>
 *   <li>Self-attention: per layer, keys and values of every row in buffers preallocated for the
 *       whole caption ({@code [rows, H, capacity, d]}); a step writes its slot in place and attends to
 *       a view of the filled part, so nothing is copied or re-projected as the caption grows.
 *   <li>Cross-attention: per layer, the image states' keys and values, computed once per image
 *       ({@code [images, H, N, d]}). An image's rows (its beams) share them: the layer folds the rows
 *       of an image into one longer query block instead of repeating keys and values per beam.
 * </ul>
 *
 * <p>Rows are image-major: image {@code i} owns rows {@code [i*b, (i+1)*b)}. {@link #select} drops,
 * duplicates and reorders rows (beam search, finished captions) by one gather per buffer.
 *
 * <p>{@link #uncached} gives the teacher-forcing variant used for a full-sequence forward (training):
 * self-attention sees only the keys and values of the current call.
 */
public final class DecoderCache implements AutoCloseable {

    private final NDManager manager;
    private final boolean growing;
    private final int capacity;
    private final NDArray[] selfKeys;
    private final NDArray[] selfValues;
    private final NDArray[] crossKeys;
    private final NDArray[] crossValues;
    private int length;
    private int rows;
    private int images;

    private DecoderCache(NDManager manager, boolean growing, int capacity, NDList crossKeysValues, int rows,
            int numHeads, int headDim) {
        int layers = crossKeysValues.size() / 2;
        this.manager = manager;
        this.growing = growing;
        this.capacity = capacity;
        this.selfKeys = new NDArray[layers];
        this.selfValues = new NDArray[layers];
        this.crossKeys = new NDArray[layers];
        this.crossValues = new NDArray[layers];
        this.rows = rows;
        this.images = (int) crossKeysValues.get(0).getShape().get(0);
        for (int l = 0; l < layers; l++) {
            crossKeys[l] = own(crossKeysValues.get(2 * l));
            crossValues[l] = own(crossKeysValues.get(2 * l + 1));
            if (growing) {
                DataType type = crossKeys[l].getDataType();
                selfKeys[l] = own(manager.zeros(new Shape(rows, numHeads, capacity, headDim), type));
                selfValues[l] = own(manager.zeros(new Shape(rows, numHeads, capacity, headDim), type));
            }
        }
    }

    /**
     * A cache for incremental decoding.
     *
     * @param manager owns the buffers (the generation call's manager)
     * @param crossKeysValues per layer, keys then values of the image states, {@code [images, H, N, d]}
     * @param rows live rows to start with (a multiple of the images)
     * @param capacity tokens per row at most (prompt plus new tokens)
     */
    public static DecoderCache forGeneration(NDManager manager, NDList crossKeysValues, int rows, int capacity,
            int numHeads, int headDim) {
        return new DecoderCache(manager, true, capacity, crossKeysValues, rows, numHeads, headDim);
    }

    /** A pass-through cache for one full-sequence forward: one row per image, nothing kept. */
    public static DecoderCache uncached(NDManager manager, NDList crossKeysValues) {
        int images = (int) crossKeysValues.get(0).getShape().get(0);
        return new DecoderCache(manager, false, 0, crossKeysValues, images, 0, 0);
    }

    /** Buffers live as long as the cache, not as long as the scope that happened to create them. */
    private NDArray own(NDArray a) {
        a.attach(manager);
        NDScope.unregister(a);
        return a;
    }

    /** Tokens already cached per row: where the next positions start. */
    public int length() {
        return length;
    }

    public int rows() {
        return rows;
    }

    public int images() {
        return images;
    }

    /**
     * Stores a step's self-attention keys and values and returns all of the row's so far.
     *
     * @param k {@code [rows, H, T, d]}
     * @return keys and values {@code [rows, H, length + T, d]} (views of the buffers)
     */
    NDList appendSelf(int layer, NDArray k, NDArray v) {
        if (!growing) {
            return new NDList(k, v);
        }
        long t = k.getShape().get(2);
        if (length + t > capacity) {
            throw new IllegalStateException("cache holds " + capacity + " tokens, asked for " + (length + t));
        }
        NDIndex slot = new NDIndex(":, :, {}:{}", length, length + t);
        selfKeys[layer].set(slot, k);
        selfValues[layer].set(slot, v);
        NDIndex filled = new NDIndex(":, :, :{}", length + t);
        NDArray keys = selfKeys[layer].get(filled);
        NDArray values = selfValues[layer].get(filled);
        // Views would otherwise belong to the cache's manager until the call ends.
        keys.attach(k.getManager());
        values.attach(k.getManager());
        return new NDList(keys, values);
    }

    NDArray crossKeys(int layer) {
        return crossKeys[layer];
    }

    NDArray crossValues(int layer) {
        return crossValues[layer];
    }

    /** Marks {@code t} more tokens as cached, after every layer has stored them. */
    void advance(int t) {
        if (growing) {
            length += t;
        }
    }

    /**
     * Keeps, duplicates and reorders rows and images (see {@code DecoderSession.select}).
     *
     * @param rowSources for each new row, the current row it continues
     * @param imageSources for each new image, its current index
     */
    public void select(int[] rowSources, int[] imageSources) {
        if (!isIdentity(rowSources, rows)) {
            gather(selfKeys, rowSources);
            gather(selfValues, rowSources);
        }
        if (!isIdentity(imageSources, images)) {
            gather(crossKeys, imageSources);
            gather(crossValues, imageSources);
        }
        rows = rowSources.length;
        images = imageSources.length;
    }

    private void gather(NDArray[] buffers, int[] sources) {
        long[] index = new long[sources.length];
        for (int i = 0; i < sources.length; i++) {
            index[i] = sources[i];
        }
        NDArray indexArray = manager.create(index);
        for (int l = 0; l < buffers.length; l++) {
            if (buffers[l] == null) {
                continue;
            }
            NDArray next = own(buffers[l].get(indexArray));
            buffers[l].close();
            buffers[l] = next;
        }
        indexArray.close();
    }

    private static boolean isIdentity(int[] sources, int count) {
        if (sources.length != count) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            if (sources[i] != i) {
                return false;
            }
        }
        return true;
    }

    /** Frees every buffer now (they would otherwise go with their manager). */
    @Override
    public void close() {
        for (NDArray[] buffers : new NDArray[][] {selfKeys, selfValues, crossKeys, crossValues}) {
            for (int l = 0; l < buffers.length; l++) {
                if (buffers[l] != null) {
                    buffers[l].close();
                    buffers[l] = null;
                }
            }
        }
    }
}
