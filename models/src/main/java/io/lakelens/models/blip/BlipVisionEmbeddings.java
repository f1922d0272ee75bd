package io.lakelens.models.blip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lakelens.models.nn.ModelBlock;

/**
 * {@code vision_model.embeddings}: a strided convolution cuts the image into patch vectors, a learned
 * class token goes in front, and a learned position embedding is added. BLIP stores the class token as
 * {@code [1, 1, D]} and the position embedding as a plain {@code [1, N+1, D]} parameter (no
 * {@code .weight}), and its patch convolution has a bias, unlike CLIP's.
 */
public final class BlipVisionEmbeddings extends ModelBlock {

    private final BlipVisionConfig config;
    private final Parameter classEmbedding;
    private final PatchEmbedding patchEmbedding;
    private final Parameter positionEmbedding;

    BlipVisionEmbeddings(BlipVisionConfig config) {
        this.config = config;
        int d = config.hiddenSize();
        classEmbedding = param("class_embedding", Parameter.Type.WEIGHT, 1, 1, d);
        patchEmbedding = child("patch_embedding", new PatchEmbedding(config));
        positionEmbedding = param("position_embedding", Parameter.Type.WEIGHT, 1, config.numPositions(), d);
    }

    /**
     * @param pixels {@code [B, C, S, S]}
     * @return {@code [B, N+1, D]}
     */
    public NDArray forward(ParameterStore ps, NDArray pixels, boolean training) {
        NDArray patches = patchEmbedding.forward(ps, pixels, training);
        long b = patches.getShape().get(0);
        long d = patches.getShape().get(1);
        // [B, D, g, g] -> [B, g*g, D]: patches in row-major order, as torch's flatten(2).
        NDArray tokens = patches.reshape(b, d, -1).transpose(0, 2, 1);
        NDArray cls = ps.getValue(classEmbedding, pixels.getDevice(), training).broadcast(new Shape(b, 1, d));
        // The expanded view was made from a parameter, so it belongs to the model's manager; move it.
        cls.attach(pixels.getManager());
        NDArray embeddings = NDArrays.concat(new NDList(cls, tokens), 1);
        return embeddings.add(ps.getValue(positionEmbedding, pixels.getDevice(), training));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training));
    }

    /** {@code patch_embedding}: Conv2d(C, D, kernel = stride = patch) with bias. */
    static final class PatchEmbedding extends ModelBlock {
        private final Parameter weight;
        private final Parameter bias;
        private final Shape stride;

        PatchEmbedding(BlipVisionConfig c) {
            weight = param("weight", Parameter.Type.WEIGHT, c.hiddenSize(), c.numChannels(), c.patchSize(), c.patchSize());
            bias = param("bias", Parameter.Type.BIAS, c.hiddenSize());
            stride = new Shape(c.patchSize(), c.patchSize());
        }

        NDArray forward(ParameterStore ps, NDArray pixels, boolean training) {
            return Conv2d.conv2d(pixels,
                            ps.getValue(weight, pixels.getDevice(), training),
                            ps.getValue(bias, pixels.getDevice(), training),
                            stride, new Shape(0, 0), new Shape(1, 1), 1)
                    .singletonOrThrow();
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(forward(ps, inputs.singletonOrThrow(), training));
        }
    }
}
