package io.lakelens.models.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
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
        NDArray w = ps.getValue(weight, pixels.getDevice(), training);
        NDArray conv = Conv2d.conv2d(pixels, w, null, new Shape(patch, patch)).singletonOrThrow();
        long b = conv.getShape().get(0);
        // [B, D, G, G] -> [B, G*G, D]
        return conv.reshape(b, width, -1).transpose(0, 2, 1);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }
}
