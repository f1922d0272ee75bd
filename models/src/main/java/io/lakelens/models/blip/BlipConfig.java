package io.lakelens.models.blip;

import io.lakelens.models.checkpoint.CheckpointException;
import io.lakelens.models.checkpoint.CheckpointFolder;
import io.lakelens.models.checkpoint.ConfigNode;

/**
 * A BLIP captioning checkpoint's {@code config.json} ({@code model_type "blip"}): its two towers.
 * Nothing about sizes is assumed; every field the file omits takes the Hugging Face class default.
 */
public record BlipConfig(BlipTextConfig text, BlipVisionConfig vision) {

    /** Reads and checks the config of a model folder. */
    public static BlipConfig read(CheckpointFolder folder) {
        folder.requireModelType("blip", "BLIP captioning");
        return from(folder.config());
    }

    public static BlipConfig from(ConfigNode root) {
        BlipVisionConfig vision = BlipVisionConfig.from(root.child("vision_config"));
        return new BlipConfig(BlipTextConfig.from(root.child("text_config"), vision.hiddenSize()), vision);
    }

    /**
     * The sizes of {@code Salesforce/blip-image-captioning-base}: ViT-B/16 at 384 pixels and a
     * BERT-base decoder with 12 heads (its config sets them; the class default is 8).
     */
    public static BlipConfig captioningBase() {
        BlipVisionConfig vision = new BlipVisionConfig(768, 3072, 12, 12, 384, 16, 3, "gelu", 1e-5);
        BlipTextConfig text = new BlipTextConfig(30524, 768, 768, 3072, 12, 12, 512, "gelu", 1e-12,
                30522, 2, 0, 102, true);
        return new BlipConfig(text, vision);
    }

    static void requirePositive(String where, String field, int value) {
        if (value <= 0) {
            throw new CheckpointException(where + ": \"" + field + "\" must be positive, is " + value);
        }
    }
}
