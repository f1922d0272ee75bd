package io.lakelens.models.clip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakelens.models.checkpoint.ParameterBinder;
import io.lakelens.models.checkpoint.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/** Writes a CLIP model folder (config.json + model.safetensors) with random weights, for tests. */
final class RandomClipFolder {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RandomClipFolder() {}

    /**
     * @param configJson the config to write (must be a CLIP config)
     * @param edit may add, remove or replace tensors before writing (name to shape and values)
     */
    static Path write(Path dir, String configJson, Consumer<Map<String, SafetensorsWriter.Tensor>> edit)
            throws IOException {
        JsonNode json = JSON.readTree(configJson);
        ClipConfig config = ClipConfig.fromJson(json, "test config");
        Random random = new Random(42);
        Map<String, SafetensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        for (ParameterBinder.NamedParameter p : ParameterBinder.parameters(new ClipModel(config))) {
            long[] shape = p.shape().getShape();
            float[] values = new float[(int) p.shape().size()];
            boolean norm = p.name().contains("norm") || p.name().contains("layrnorm");
            double std = p.name().contains("embedding") ? 0.5 : norm ? 0.1 : 1.0 / Math.sqrt(fanIn(shape));
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextGaussian() * std + (norm && p.name().endsWith("weight") ? 1 : 0));
            }
            if (p.name().equals("logit_scale")) {
                values = new float[] {(float) config.logitScaleInitValue()};
            }
            tensors.put(p.name(), new SafetensorsWriter.Tensor(shape, values));
        }
        edit.accept(tensors);
        SafetensorsWriter writer = new SafetensorsWriter();
        tensors.forEach((name, t) -> writer.put(name, t.shape(), t.values()));
        Files.createDirectories(dir);
        writer.write(dir.resolve("model.safetensors"));
        Files.writeString(dir.resolve("config.json"), configJson);
        return dir;
    }

    static Path write(Path dir, String configJson) throws IOException {
        return write(dir, configJson, t -> {});
    }

    private static long fanIn(long[] shape) {
        long n = 1;
        for (int i = 1; i < shape.length; i++) {
            n *= shape[i];
        }
        return Math.max(1, n);
    }
}
