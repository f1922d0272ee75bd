package io.lakelens.models.clip;

import static io.lakelens.models.clip.ClipGolden.ACTIVATION_TOL;
import static io.lakelens.models.clip.ClipGolden.LOGIT_TOL;
import static io.lakelens.models.clip.ClipGolden.NORMALIZED_TOL;
import static io.lakelens.models.clip.ClipGolden.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import io.lakelens.models.runtime.ComputeDevice;
import io.lakelens.models.runtime.TorchRuntime;
import io.lakelens.models.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every field of clip-tiny's {@code clip} section, computed by the Java model. */
class ClipGoldenTest {

    private static ClipEmbedder model;
    private static JsonNode clip;

    @BeforeAll
    static void load() {
        TorchRuntime.start(1);
        model = ClipEmbedder.load(Fixtures.clipTiny(), ComputeDevice.cpu());
        clip = ClipGolden.clip();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Runs tensor-level code in a sub-manager of the model's, like the inference API does. */
    private static <T> T inBatch(Function<NDManager, T> body) {
        try (NDManager batch = model.model().manager().newSubManager()) {
            return body.apply(batch);
        }
    }

    private static List<String> strings(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static float[] pixelsOf(List<String> names) {
        int per = model.config().vision().pixelsPerImage();
        float[] all = new float[names.size() * per];
        for (int i = 0; i < names.size(); i++) {
            System.arraycopy(ClipGolden.pixelValues(names.get(i)), 0, all, i * per, per);
        }
        return all;
    }

    private static float[][] rows(NDArray a) {
        int n = (int) a.getShape().get(0);
        int d = (int) (a.size() / n);
        float[] flat = a.toFloatArray();
        float[][] out = new float[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * d, out[i], 0, d);
        }
        return out;
    }

    @Test
    void visionTowerMatchesOnTheMatrixImages() {
        List<String> names = strings(clip.get("images"));
        float[] pixels = pixelsOf(names);
        int s = model.config().vision().imageSize();
        float[][][] out = inBatch(batch -> {
            NDArray input = batch.create(pixels, new Shape(names.size(), 3, s, s));
            ClipVisionTransformer.Output o = model.model().visionModel().apply(new ParameterStore(batch, false), input, false);
            return new float[][][] {rows(o.lastHiddenState().get(0)), rows(o.pooled())};
        });
        JsonNode last = clip.get("vision_last_hidden_state");
        assertEquals(names.get(0), last.get("image").asText());
        assertClose(ClipGolden.matrix(last), out[0], ACTIVATION_TOL, "vision_last_hidden_state");
        assertClose(ClipGolden.matrix(clip.get("vision_pooler_output")), out[1], ACTIVATION_TOL,
                "vision_pooler_output");
        assertClose(ClipGolden.matrix(clip.get("image_embeds_unnormalized")),
                model.embedImagesUnnormalized(pixels, names.size()), ACTIVATION_TOL, "image_embeds_unnormalized");
        assertClose(ClipGolden.matrix(clip.get("image_embeds")),
                model.embedImages(pixels, names.size()), NORMALIZED_TOL, "image_embeds");
    }

    @Test
    void everyImageMatches() {
        List<String> names = ClipGolden.imageNames();
        assertEquals(7, names.size());
        float[] pixels = pixelsOf(names);
        int s = model.config().vision().imageSize();
        float[][] pooled = inBatch(batch -> rows(model.model().visionModel()
                .apply(new ParameterStore(batch, false), batch.create(pixels, new Shape(names.size(), 3, s, s)), false)
                .pooled()));
        float[][] unnormalized = model.embedImagesUnnormalized(pixels, names.size());
        float[][] normalized = model.embedImages(pixels, names.size());
        for (int i = 0; i < names.size(); i++) {
            JsonNode expected = clip.get("per_image").get(names.get(i));
            assertClose(ClipGolden.flat(expected.get("vision_pooler_output")), pooled[i], ACTIVATION_TOL,
                    names.get(i) + " vision_pooler_output");
            assertClose(ClipGolden.flat(expected.get("image_embeds_unnormalized")), unnormalized[i], ACTIVATION_TOL,
                    names.get(i) + " image_embeds_unnormalized");
            assertClose(ClipGolden.flat(expected.get("image_embeds")), normalized[i], NORMALIZED_TOL,
                    names.get(i) + " image_embeds");
        }
    }

    @Test
    void textTowerMatchesWhenPaddedTo77() {
        long[][] ids = ClipGolden.longMatrix(clip.get("text_input_ids"));
        long[][] mask = ClipGolden.longMatrix(clip.get("text_attention_mask"));
        assertEquals(77, ids[0].length);
        Shape shape = new Shape(ids.length, ids[0].length);
        long[] flatIds = java.util.Arrays.stream(ids).flatMapToLong(java.util.Arrays::stream).toArray();
        long[] flatMask = java.util.Arrays.stream(mask).flatMapToLong(java.util.Arrays::stream).toArray();
        Object[] out = inBatch(batch -> {
            NDArray idArray = batch.create(flatIds, shape);
            ClipTextTransformer.Output o = model.model().textModel()
                    .apply(new ParameterStore(batch, false), idArray, batch.create(flatMask, shape), false);
            return new Object[] {rows(o.lastHiddenState().get(0)), rows(o.pooled()),
                model.model().textModel().poolingPositions(idArray).toLongArray()};
        });
        JsonNode last = clip.get("text_last_hidden_state");
        assertEquals(77, last.get("padded_to").asInt());
        assertEquals(strings(clip.get("texts")).get(0), last.get("text").asText());
        // All 77 rows, including the padded positions (causal + padding mask as in transformers).
        assertClose(ClipGolden.matrix(last), (float[][]) out[0], ACTIVATION_TOL, "text_last_hidden_state");
        assertClose(ClipGolden.matrix(clip.get("text_pooler_output")), (float[][]) out[1], ACTIVATION_TOL,
                "text_pooler_output");
        assertArrayEquals(ClipGolden.longs(clip.get("eos_positions")), (long[]) out[2], "eos_positions");

        float[][] unnormalized = model.embedTokenIdsUnnormalized(ids, mask);
        assertClose(ClipGolden.matrix(clip.get("text_embeds_unnormalized")), unnormalized, ACTIVATION_TOL,
                "text_embeds_unnormalized (padded to 77)");
        assertClose(ClipGolden.matrix(clip.get("text_embeds")), ClipEmbedder.normalizeRows(unnormalized),
                NORMALIZED_TOL, "text_embeds (padded to 77)");
    }

    @Test
    void paddingToTheLongestTextGivesThePaddedTo77Values() {
        List<String> texts = strings(clip.get("texts"));
        // The tokenizer pads this batch to its longest text, far below 77.
        assertEquals(9, model.tokenizer().encode(texts).paddedLength());
        assertClose(ClipGolden.matrix(clip.get("text_embeds_unnormalized")), model.embedTextsUnnormalized(texts),
                ACTIVATION_TOL, "text_embeds_unnormalized (padded to longest)");
        assertClose(ClipGolden.matrix(clip.get("text_embeds")), model.embedTexts(texts), NORMALIZED_TOL,
                "text_embeds (padded to longest)");
    }

    @Test
    void everyTextMatchesUnpaddedAndInOnePaddedBatch() {
        JsonNode perText = clip.get("per_text");
        assertEquals(32, perText.size());
        long[][] ids = new long[perText.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = ClipGolden.longs(perText.get(i).get("input_ids"));
        }
        // One batch of all 32 (the long text makes it 77 wide), padded here.
        float[][] unnormalized = model.embedTokenIdsUnnormalized(ids);
        float[][] normalized = model.embedTokenIds(ids);
        for (int i = 0; i < ids.length; i++) {
            JsonNode expected = perText.get(i);
            long[] row = ids[i];
            // Alone and unpadded, through the tensor API without a mask.
            float[] pooled = inBatch(batch -> model.model().textModel()
                    .apply(new ParameterStore(batch, false), batch.create(row, new Shape(1, row.length)), null, false)
                    .pooled().toFloatArray());
            String what = "per_text[" + i + "] '" + expected.get("text").asText() + "' ";
            assertClose(ClipGolden.flat(expected.get("text_pooler_output")), pooled, ACTIVATION_TOL,
                    what + "text_pooler_output");
            assertClose(ClipGolden.flat(expected.get("text_embeds_unnormalized")), unnormalized[i], ACTIVATION_TOL,
                    what + "text_embeds_unnormalized");
            assertClose(ClipGolden.flat(expected.get("text_embeds")), normalized[i], NORMALIZED_TOL,
                    what + "text_embeds");
        }
    }

    @Test
    void logitScaleLogitsAndProbabilities() {
        assertEquals(clip.get("logit_scale").floatValue(), model.logitScale(), 0f);
        assertEquals(clip.get("logit_scale_exp").floatValue(), model.logitScaleExp(), LOGIT_TOL);

        float[][] images = model.embedImages(pixelsOf(strings(clip.get("images"))), 4);
        float[][] texts = model.embedTexts(strings(clip.get("texts")));
        float[][] logits = model.similarity(images, texts);
        assertClose(ClipGolden.matrix(clip.get("logits_per_image")), logits, LOGIT_TOL, "logits_per_image");
        assertClose(ClipGolden.matrix(clip.get("logits_per_text")), model.similarity(texts, images), LOGIT_TOL,
                "logits_per_text");

        float[][] probs = new float[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            probs[i] = ZeroShotClassifier.softmax(logits[i]);
        }
        // Probabilities are in [0, 1]; 1e-4 is tighter than the logits' tolerance allows for in theory,
        // and holds with the ~1e-6 float noise observed.
        assertClose(ClipGolden.matrix(clip.get("softmax_probs_per_image")), probs, 1e-4, "softmax_probs_per_image");
    }
}
