package io.lakelens.models.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed, defaulted reads from a Hugging Face {@code config.json}. Hugging Face writes configs in
 * "diff" mode (fields equal to the class default are left out), so every read states the default
 * the reference class would use; a value of the wrong type is an error naming file and field.
 */
public final class ConfigNode {

    private final JsonNode node;
    private final String where;

    public ConfigNode(JsonNode node, String where) {
        this.node = node == null ? MissingNode.getInstance() : node;
        this.where = where;
    }

    /** A nested object such as {@code text_config}; missing means all defaults. */
    public ConfigNode child(String key) {
        JsonNode c = node.get(key);
        if (c != null && !c.isNull() && !c.isObject()) {
            throw new CheckpointException(where + ": \"" + key + "\" should be an object");
        }
        return new ConfigNode(c, where + "." + key);
    }

    public boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    public int intOr(String key, int defaultValue) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new CheckpointException(where + ": \"" + key + "\" should be an integer, is " + v);
        }
        return v.intValue();
    }

    public double doubleOr(String key, double defaultValue) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isNumber()) {
            throw new CheckpointException(where + ": \"" + key + "\" should be a number, is " + v);
        }
        return v.doubleValue();
    }

    public String stringOr(String key, String defaultValue) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isTextual()) {
            throw new CheckpointException(where + ": \"" + key + "\" should be a string, is " + v);
        }
        return v.textValue();
    }

    public boolean boolOr(String key, boolean defaultValue) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isBoolean()) {
            throw new CheckpointException(where + ": \"" + key + "\" should be true or false, is " + v);
        }
        return v.booleanValue();
    }

    /** A list of numbers, or the default when absent. */
    public double[] doublesOr(String key, double[] defaultValue) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isArray()) {
            throw new CheckpointException(where + ": \"" + key + "\" should be a list of numbers");
        }
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i).asDouble();
        }
        return out;
    }

    /** Strings of a list field such as {@code architectures}; empty when absent. */
    public List<String> strings(String key) {
        List<String> out = new ArrayList<>();
        JsonNode v = node.get(key);
        if (v != null && v.isArray()) {
            v.forEach(e -> out.add(e.asText()));
        }
        return out;
    }

    /** The raw JSON, for fields not covered here. */
    public JsonNode json() {
        return node;
    }

    /** Where this node comes from, e.g. {@code /models/clip/config.json.text_config}. */
    public String where() {
        return where;
    }
}
