package io.lakelens.models.clip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lakelens.models.checkpoint.CheckpointException;
import io.lakelens.models.checkpoint.CheckpointFolder;
import io.lakelens.models.checkpoint.ConfigNode;
import io.lakelens.models.nn.Activations;

/**
 * A CLIP checkpoint's {@code config.json}, as Hugging Face's {@code CLIPConfig}: the two towers,
 * the shared projection width and the initial logit scale.
 *
 * @param text the text tower
 * @param vision the vision tower
 * @param projectionDim width of the joint embedding space
 * @param logitScaleInitValue initial value of {@code logit_scale} (only used without a checkpoint)
 */
public record ClipConfig(
        ClipTextConfig text, ClipVisionConfig vision, int projectionDim, double logitScaleInitValue) {

    public ClipConfig {
        requirePositive("ClipConfig", "projection_dim", projectionDim);
    }

    /** The config of a model folder, which must declare {@code model_type: clip}. */
    public static ClipConfig of(CheckpointFolder folder) {
        folder.requireModelType("clip", "CLIP");
        return from(folder.config());
    }

    /**
     * Reads a config object. Old hub configs carry {@code text_config_dict}/{@code
     * vision_config_dict}; as in {@code CLIPConfig.__init__}, their fields win over the same fields
     * of {@code text_config}/{@code vision_config}.
     */
    public static ClipConfig from(ConfigNode root) {
        ClipTextConfig text = ClipTextConfig.from(section(root, "text_config"));
        ClipVisionConfig vision = ClipVisionConfig.from(section(root, "vision_config"));
        int projectionDim = root.intOr("projection_dim", 512);
        requirePositive(root.where(), "projection_dim", projectionDim);
        return new ClipConfig(text, vision, projectionDim, root.doubleOr("logit_scale_init_value", 2.6592));
    }

    private static ConfigNode section(ConfigNode root, String key) {
        ConfigNode base = root.child(key);
        ConfigNode legacy = root.child(key + "_dict");
        if (!legacy.json().isObject()) {
            return base;
        }
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        if (base.json().isObject()) {
            merged.setAll((ObjectNode) base.json());
        }
        merged.setAll((ObjectNode) legacy.json());
        return new ConfigNode(merged, base.where() + " (+" + key + "_dict)");
    }

    static void requirePositive(String where, String field, double value) {
        if (!(value > 0)) {
            throw new CheckpointException(where + ": \"" + field + "\" must be positive, is " + value);
        }
    }

    static void requireDivisible(String where, String field, int value, String byField, int by) {
        if (value % by != 0) {
            throw new CheckpointException(where + ": \"" + field + "\" " + value + " is not divisible by \""
                    + byField + "\" " + by);
        }
    }

    static void requireActivation(String where, String name) {
        try {
            Activations.forName(name);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(where + ": \"hidden_act\": " + e.getMessage());
        }
    }

    /** A JSON config (e.g. for tests and benchmarks that write a model folder). */
    public static ClipConfig fromJson(JsonNode json, String where) {
        return from(new ConfigNode(json, where));
    }
}
