package io.lakelens.models.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lakelens.models.nn.ModelBlock;

/**
 * CLIP's {@code patch_embedding}: a bias-free convolution whose kernel and stride are the patch
 * size, i.e. one linear map per non-overlapping patch. Output is the patch grid flattened row-major:
 * {@code [B, (S/P)^2, D]}.
 */
public final class ClipPatchEmbedding extends ModelBlock {

    private final Parameter weight;
    private final int channels;
    private final int patch;
    private final int width;

    public ClipPatchEmbedding(int channels, int patchSize, int width) {
        this.channels = channels;
        this.patch = patchSize;
        this.width = width;
        this.weight = param("weight", Parameter.Type.WEIGHT, width, channels, patchSize, patchSize);
    }

    /**
     * @param pixels {@code [B, C, S, S]}
     * @return {@code [B, (S/P)^2, D]}
     */
    public NDArray apply(ParameterStore ps, NDArray pixels, boolean training) {
        long b = pixels.getShape().get(0);
        long grid = pixels.getShape().get(2) / patch;
        // Cut the image into patches, each flattened as (channel, row, column) like the kernel:
        // [B, C, G, P, G, P] -> [B, G, G, C, P, P] -> [B*G*G, C*P*P]. One copy of the input, then one
        // matrix multiply; measured 1.6-1.8x faster than DJL's conv2d (oneDNN) on CPU for ViT-B/32.
        NDArray patches = pixels.reshape(b, channels, grid, patch, grid, patch)
                .transpose(0, 2, 4, 1, 3, 5)
                .reshape(b * grid * grid, (long) channels * patch * patch);
        NDArray w = ps.getValue(weight, pixels.getDevice(), training);
        NDArray kernel = Tensors.onManagerOf(pixels, w.reshape(width, (long) channels * patch * patch));
        return Linear.linear(patches, kernel, null).singletonOrThrow().reshape(b, grid * grid, width);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }
}
