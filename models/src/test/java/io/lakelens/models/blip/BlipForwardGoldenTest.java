package io.lakelens.models.blip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Vision states and first-step vocabulary logits against blip-tiny's golden values. */
class BlipForwardGoldenTest {

    private static final double ACTIVATION_TOLERANCE = 1e-4;
    private static final double LOGIT_TOLERANCE = 1e-3;

    private static BlipCaptioningModel model() {
        return BlipGolden.captioner().model();
    }

    @Test
    void visionStatesAndPoolerOfEveryImage() {
        JsonNode vision = BlipGolden.root().get("blip").get("vision");
        assertEquals(7, vision.size());
        BlipGenerator generator = new BlipGenerator(model());
        for (String name : BlipGolden.imageNames()) {
            try (NDManager m = model().manager().newSubManager()) {
                ParameterStore ps = model().parameterStore(m);
                NDArray states = generator.encodeImages(ps, m, BlipGolden.pixels(name), 1);
                assertEquals(new Shape(1, 17, 32), states.getShape());
                assertClose(BlipGolden.floats(vision.get(name).get("last_hidden_state")), states.toFloatArray(),
                        ACTIVATION_TOLERANCE, name + " last_hidden_state");
                NDArray pooled = model().visionModel().pooled(ps, states, false);
                assertClose(BlipGolden.floats(vision.get(name).get("pooler_output")), pooled.toFloatArray(),
                        ACTIVATION_TOLERANCE, name + " pooler_output");
            }
        }
    }

    @Test
    void chunkedImageEncodingEqualsOneBatch() {
        java.util.List<String> names = BlipGolden.imageNames();
        float[] pixels = BlipGolden.concat(names);
        BlipGenerator generator = new BlipGenerator(model());
        try (NDManager m = model().manager().newSubManager()) {
            ParameterStore ps = model().parameterStore(m);
            float[] whole = generator.encodeImages(ps, m, pixels, names.size(), names.size()).toFloatArray();
            for (int chunk : new int[] {1, 3}) {
                float[] chunked = generator.encodeImages(ps, m, pixels, names.size(), chunk).toFloatArray();
                assertClose(whole, chunked, 1e-5, "chunk " + chunk);
            }
            // And each image's states equal its golden values whatever its batch.
            JsonNode vision = BlipGolden.root().get("blip").get("vision");
            int per = 17 * 32;
            for (int i = 0; i < names.size(); i++) {
                assertClose(BlipGolden.floats(vision.get(names.get(i)).get("last_hidden_state")),
                        Arrays.copyOfRange(whole, i * per, (i + 1) * per), ACTIVATION_TOLERANCE, names.get(i));
            }
        }
    }

    @Test
    void firstStepLogitsUnconditionalAndWithPrompt() {
        JsonNode first = BlipGolden.root().get("blip").get("first_step_logits");
        String image = first.get("image").asText();
        for (String variant : new String[] {"unconditional", "prompt"}) {
            JsonNode golden = first.get(variant);
            int[] decoderIds = BlipGolden.ints(golden.get("decoder_input_ids"));
            if (golden.has("processor_input_ids")) {
                assertArrayEquals(BlipGolden.ints(golden.get("processor_input_ids")),
                        BlipGolden.captioner().tokenizer().encode(golden.get("prompt").asText()));
                assertArrayEquals(decoderIds, BlipGolden.captioner().decoderPrompt(golden.get("prompt").asText()));
            } else {
                assertArrayEquals(decoderIds, BlipGolden.captioner().decoderPrompt(null));
            }
            float[] expected = BlipGolden.floats(golden.get("logits_last_position"));
            assertEquals(30524, expected.length);

            float[] cached = cachedStepLogits(image, decoderIds);
            assertClose(expected, cached, LOGIT_TOLERANCE, variant + " logits (cached step)");
            assertArrayEquals(BlipGolden.ints(golden.get("top_ids")), topIds(cached, 10), variant + " top ids");
            float[] topLogits = BlipGolden.floats(golden.get("top_logits"));
            int[] top = topIds(cached, 10);
            for (int i = 0; i < top.length; i++) {
                assertEquals(topLogits[i], cached[top[i]], LOGIT_TOLERANCE, variant + " top logit " + i);
            }

            float[] teacherForced = teacherForcedLastLogits(image, decoderIds);
            assertClose(expected, teacherForced, LOGIT_TOLERANCE, variant + " logits (teacher-forced)");
        }
    }

    /** The generation path: cross keys/values once, prompt through the cache. */
    private static float[] cachedStepLogits(String image, int[] decoderIds) {
        try (NDManager m = model().manager().newSubManager()) {
            ParameterStore ps = model().parameterStore(m);
            NDArray states = new BlipGenerator(model()).encodeImages(ps, m, BlipGolden.pixels(image), 1);
            try (BlipDecoderSession session =
                    new BlipDecoderSession(model().textDecoder(), ps, m, states, decoderIds.length + 1)) {
                return session.forward(new int[][] {decoderIds})[0];
            }
        }
    }

    /** The training path: whole sequence, causal mask, no cache. */
    private static float[] teacherForcedLastLogits(String image, int[] decoderIds) {
        try (NDManager m = model().manager().newSubManager()) {
            ParameterStore ps = model().parameterStore(m);
            NDArray states = new BlipGenerator(model()).encodeImages(ps, m, BlipGolden.pixels(image), 1);
            long[] ids = Arrays.stream(decoderIds).asLongStream().toArray();
            NDArray logits = model().textDecoder().logits(ps, m.create(ids, new Shape(1, ids.length)), states, false);
            assertEquals(new Shape(1, ids.length, 30524), logits.getShape());
            return logits.get("0, -1, :").toFloatArray();
        }
    }

    static int[] topIds(float[] scores, int k) {
        return IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparingInt(i -> i))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]);
            if (!(d <= worst)) {
                worst = d;
                worstAt = i;
            }
        }
        final double w = worst;
        final int at = worstAt;
        assertTrue(w <= tolerance, () -> what + ": max |diff| " + w + " at " + at + " (expected " + expected[at]
                + ", got " + actual[at] + ")");
    }

}
