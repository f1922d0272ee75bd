package io.lakelens.models.blip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakelens.models.runtime.ComputeDevice;
import io.lakelens.models.runtime.TorchRuntime;
import io.lakelens.models.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** blip-tiny's {@code golden.json}, parsed once, and one shared captioner for the golden tests. */
final class BlipGolden {

    private static JsonNode root;
    private static BlipCaptioner captioner;

    private BlipGolden() {}

    static Path folder() {
        return Fixtures.blipTiny();
    }

    static synchronized JsonNode root() {
        if (root == null) {
            try {
                root = new ObjectMapper().readTree(folder().resolve("golden.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    /**
     * Loaded once per test JVM and never closed: the tests share it as Spark tasks would. One
     * intra-op thread: the tiny model gains nothing from more, and on shared cores a 2-thread pool
     * spends most of its time waiting for the busy one.
     */
    static synchronized BlipCaptioner captioner() {
        if (captioner == null) {
            TorchRuntime.start(1);
            captioner = BlipCaptioner.load(folder(), ComputeDevice.cpu());
        }
        return captioner;
    }

    /** Golden {@code pixel_values} of an image, {@code [3, 32, 32]} flattened. */
    static float[] pixels(String imageName) {
        for (JsonNode image : root().get("preprocessing").get("images")) {
            if (image.get("name").asText().equals(imageName)) {
                return floats(image.get("pixel_values"));
            }
        }
        throw new IllegalArgumentException("no golden image " + imageName);
    }

    static List<String> imageNames() {
        List<String> names = new ArrayList<>();
        root().get("preprocessing").get("images").forEach(i -> names.add(i.get("name").asText()));
        return names;
    }

    /** A golden tensor ({@code {shape, data}}) or plain list, flattened in row-major order. */
    static float[] floats(JsonNode tensorOrList) {
        JsonNode data = tensorOrList.has("data") ? tensorOrList.get("data") : tensorOrList;
        List<Float> out = new ArrayList<>();
        flatten(data, out);
        float[] a = new float[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }

    private static void flatten(JsonNode node, List<Float> out) {
        if (node.isArray()) {
            node.forEach(n -> flatten(n, out));
        } else {
            out.add(Float.parseFloat(node.asText()));
        }
    }

    static int[] ints(JsonNode list) {
        int[] a = new int[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = list.get(i).asInt();
        }
        return a;
    }

    /** Several images' pixel values, one after another. */
    static float[] concat(List<String> names) {
        List<float[]> parts = new ArrayList<>();
        int total = 0;
        for (String n : names) {
            float[] p = pixels(n);
            parts.add(p);
            total += p.length;
        }
        float[] out = new float[total];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
