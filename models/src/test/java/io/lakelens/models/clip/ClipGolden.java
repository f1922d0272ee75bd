package io.lakelens.models.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakelens.models.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reads clip-tiny's golden.json (README section 2/3 conventions) and compares with tolerances. */
final class ClipGolden {

    /** README section 2: float32 activations. */
    static final double ACTIVATION_TOL = 1e-4;
    /** README section 2: L2-normalised embeddings. */
    static final double NORMALIZED_TOL = 1e-5;
    /** README section 2: logits and logit_scale_exp. */
    static final double LOGIT_TOL = 1e-3;

    private static JsonNode root;

    private ClipGolden() {}

    static synchronized JsonNode root() {
        if (root == null) {
            try {
                root = new ObjectMapper().readTree(Fixtures.clipTiny().resolve("golden.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    static JsonNode clip() {
        return root().get("clip");
    }

    /** All values of a tensor ({shape, data}) or a plain (nested) list, row-major. */
    static float[] flat(JsonNode node) {
        JsonNode data = node.has("data") ? node.get("data") : node;
        List<Float> out = new ArrayList<>();
        collect(data, out);
        float[] a = new float[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }

    private static void collect(JsonNode n, List<Float> out) {
        if (n.isArray()) {
            n.forEach(c -> collect(c, out));
        } else {
            // README section 2: the shortest round-tripping decimal; parseFloat gives the exact bits.
            out.add(Float.parseFloat(n.asText()));
        }
    }

    /** A 2-D tensor or list of lists as rows. */
    static float[][] matrix(JsonNode node) {
        JsonNode data = node.has("data") ? node.get("data") : node;
        float[][] m = new float[data.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = flat(data.get(i));
        }
        return m;
    }

    static long[] longs(JsonNode list) {
        long[] a = new long[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = list.get(i).asLong();
        }
        return a;
    }

    static long[][] longMatrix(JsonNode rows) {
        long[][] m = new long[rows.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = longs(rows.get(i));
        }
        return m;
    }

    /** Golden {@code pixel_values} of a preprocessing image by name, CHW. */
    static float[] pixelValues(String imageName) {
        for (JsonNode image : root().get("preprocessing").get("images")) {
            if (image.get("name").asText().equals(imageName)) {
                return flat(image.get("pixel_values"));
            }
        }
        throw new IllegalArgumentException("no golden image " + imageName);
    }

    static List<String> imageNames() {
        List<String> names = new ArrayList<>();
        root().get("preprocessing").get("images").forEach(i -> names.add(i.get("name").asText()));
        return names;
    }

    static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        double maxDiff = worst;
        int index = at;
        assertTrue(maxDiff <= tol, () -> what + ": max |diff| " + maxDiff + " at " + index + " (expected "
                + expected[index] + ", got " + actual[index] + "), tolerance " + tol);
    }

    static void assertClose(float[][] expected, float[][] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": rows");
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], actual[i], tol, what + "[" + i + "]");
        }
    }
}
