package io.lakelens.models.clip;

import io.lakelens.models.checkpoint.CheckpointException;
import io.lakelens.models.checkpoint.ConfigNode;

/**
 * The vision tower's sizes, as Hugging Face's {@code CLIPVisionConfig} (defaults are that class's,
 * i.e. ViT-B/32 at 224 pixels).
 *
 * @param hiddenSize width of the residual stream
 * @param intermediateSize width of the MLP
 * @param numHiddenLayers encoder layers
 * @param numAttentionHeads heads per layer; divides {@code hiddenSize}
 * @param numChannels input channels (3, RGB)
 * @param imageSize side of the square input in pixels
 * @param patchSize side of one patch; divides {@code imageSize}
 * @param hiddenAct MLP activation
 * @param layerNormEps epsilon of every layer norm
 */
public record ClipVisionConfig(
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numChannels,
        int imageSize,
        int patchSize,
        String hiddenAct,
        double layerNormEps) implements ClipEncoderConfig {

    /** Reads {@code vision_config}; missing fields take {@code CLIPVisionConfig}'s defaults. */
    public static ClipVisionConfig from(ConfigNode node) {
        ClipVisionConfig c = new ClipVisionConfig(
                node.intOr("hidden_size", 768),
                node.intOr("intermediate_size", 3072),
                node.intOr("num_hidden_layers", 12),
                node.intOr("num_attention_heads", 12),
                node.intOr("num_channels", 3),
                node.intOr("image_size", 224),
                node.intOr("patch_size", 32),
                node.stringOr("hidden_act", "quick_gelu"),
                node.doubleOr("layer_norm_eps", 1e-5));
        c.validate(node.where());
        return c;
    }

    /** Width of one attention head. */
    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    /** Patches along one side of the image. */
    public int gridSize() {
        return imageSize / patchSize;
    }

    /** Tokens the encoder sees: one per patch plus the class token. */
    public int numPositions() {
        return gridSize() * gridSize() + 1;
    }

    /** Floats in one preprocessed image, {@code C x S x S}. */
    public int pixelsPerImage() {
        return numChannels * imageSize * imageSize;
    }

    void validate(String where) {
        ClipConfig.requirePositive(where, "hidden_size", hiddenSize);
        ClipConfig.requirePositive(where, "intermediate_size", intermediateSize);
        ClipConfig.requirePositive(where, "num_hidden_layers", numHiddenLayers);
        ClipConfig.requirePositive(where, "num_attention_heads", numAttentionHeads);
        ClipConfig.requirePositive(where, "num_channels", numChannels);
        ClipConfig.requirePositive(where, "image_size", imageSize);
        ClipConfig.requirePositive(where, "patch_size", patchSize);
        ClipConfig.requireDivisible(where, "hidden_size", hiddenSize, "num_attention_heads", numAttentionHeads);
        // Every released CLIP tiles its input exactly (224/32, 224/16, 336/14); a remainder would be
        // cropped silently by the convolution, so it is more likely a typo than intended.
        if (imageSize % patchSize != 0) {
            throw new CheckpointException(where + ": \"image_size\" " + imageSize
                    + " is not a multiple of \"patch_size\" " + patchSize);
        }
        ClipConfig.requireActivation(where, hiddenAct);
        ClipConfig.requirePositive(where, "layer_norm_eps", layerNormEps);
    }
}
