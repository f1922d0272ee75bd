package io.lakelens.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.lakelens.models.checkpoint.ParameterBinder;
import io.lakelens.models.checkpoint.ParameterBinder.NamedParameter;
import io.lakelens.models.checkpoint.SafetensorsWriter;
import io.lakelens.models.checkpoint.StateDict;
import io.lakelens.models.clip.ClipModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A model's weights as float32 arrays by their Hugging Face names, in the model's order. */
public final class ModelWeights {

    private ModelWeights() {}

    /** Copies every parameter out of the model. */
    public static Map<String, float[]> snapshot(ClipModel model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (NamedParameter p : ParameterBinder.parameters(model)) {
            NDArray a = p.parameter().getArray();
            if (a.getDataType() == DataType.FLOAT32) {
                out.put(p.name(), a.toFloatArray());
            } else {
                try (NDArray f = a.toType(DataType.FLOAT32, true)) {
                    out.put(p.name(), f.toFloatArray());
                }
            }
        }
        return out;
    }

    /** Writes the model's parameters as {@code model.safetensors} with their checkpoint names. */
    public static void write(ClipModel model, Path file) throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter();
        Map<String, float[]> weights = snapshot(model);
        for (NamedParameter p : ParameterBinder.parameters(model)) {
            writer.put(p.name(), p.shape().getShape(), weights.get(p.name()));
        }
        writer.write(file);
    }

    /**
     * Overwrites the model's parameters in place: WiSE-FT's {@code (1 − α)·start + α·current}
     * (Wortsman et al. 2022) when given the starting weights, α = 1 keeping the fine-tuned model.
     */
    public static void interpolate(ClipModel model, StateDict start, double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("--wise-ft-alpha must be in [0, 1], got " + alpha);
        }
        for (NamedParameter p : ParameterBinder.parameters(model)) {
            NDArray a = p.parameter().getArray();
            float[] current = snapshotOf(a);
            float[] initial = start.floats(p.name());
            if (initial.length != current.length) {
                throw new IllegalArgumentException(p.name() + ": starting model has " + initial.length
                        + " values, fine-tuned " + current.length);
            }
            float[] mixed = new float[current.length];
            for (int i = 0; i < mixed.length; i++) {
                mixed[i] = (float) ((1 - alpha) * initial[i] + alpha * current[i]);
            }
            try (NDArray source = a.getManager().create(mixed, a.getShape());
                    NDArray cast = source.toType(a.getDataType(), true)) {
                a.set(cast.toByteBuffer());
            }
        }
    }

    private static float[] snapshotOf(NDArray a) {
        if (a.getDataType() == DataType.FLOAT32) {
            return a.toFloatArray();
        }
        try (NDArray f = a.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }

    /** All values one after another, for comparisons. */
    public static float[] flat(Map<String, float[]> weights) {
        int n = weights.values().stream().mapToInt(v -> v.length).sum();
        float[] out = new float[n];
        int at = 0;
        for (float[] v : weights.values()) {
            System.arraycopy(v, 0, out, at, v.length);
            at += v.length;
        }
        return out;
    }
}
