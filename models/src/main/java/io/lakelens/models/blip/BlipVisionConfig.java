package io.lakelens.models.blip;

import io.lakelens.models.checkpoint.CheckpointException;
import io.lakelens.models.checkpoint.ConfigNode;

/**
 * {@code vision_config} of a BLIP checkpoint: the ViT image encoder. Defaults are those of
 * transformers' {@code BlipVisionConfig} (ViT-B/16 at 384 pixels), used for fields the file omits.
 */
public record BlipVisionConfig(
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int imageSize,
        int patchSize,
        int numChannels,
        String hiddenAct,
        double layerNormEps) {

    public static BlipVisionConfig from(ConfigNode c) {
        BlipVisionConfig v = new BlipVisionConfig(
                c.intOr("hidden_size", 768),
                c.intOr("intermediate_size", 3072),
                c.intOr("num_hidden_layers", 12),
                c.intOr("num_attention_heads", 12),
                c.intOr("image_size", 384),
                c.intOr("patch_size", 16),
                // BlipVisionEmbeddings hard-codes 3 input channels; a config may not even name them.
                c.intOr("num_channels", 3),
                c.stringOr("hidden_act", "gelu"),
                c.doubleOr("layer_norm_eps", 1e-5));
        v.check(c.where());
        return v;
    }

    private void check(String where) {
        BlipConfig.requirePositive(where, "hidden_size", hiddenSize);
        BlipConfig.requirePositive(where, "intermediate_size", intermediateSize);
        BlipConfig.requirePositive(where, "num_hidden_layers", numHiddenLayers);
        BlipConfig.requirePositive(where, "num_attention_heads", numAttentionHeads);
        BlipConfig.requirePositive(where, "patch_size", patchSize);
        BlipConfig.requirePositive(where, "num_channels", numChannels);
        if (hiddenSize % numAttentionHeads != 0) {
            throw new CheckpointException(where + ": hidden_size " + hiddenSize
                    + " is not a multiple of num_attention_heads " + numAttentionHeads);
        }
        if (imageSize <= 0 || imageSize % patchSize != 0) {
            throw new CheckpointException(where + ": image_size " + imageSize
                    + " is not a positive multiple of patch_size " + patchSize);
        }
    }

    /** Patches per side. */
    public int gridSize() {
        return imageSize / patchSize;
    }

    /** Tokens the encoder outputs per image: the patches plus the class token. */
    public int numPositions() {
        return gridSize() * gridSize() + 1;
    }

    /** Floats in one image's {@code pixel_values} ({@code [C, S, S]}). */
    public int pixelsPerImage() {
        return numChannels * imageSize * imageSize;
    }
}
