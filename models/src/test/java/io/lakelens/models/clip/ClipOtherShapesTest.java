package io.lakelens.models.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.lakelens.models.checkpoint.SafetensorsWriter;
import io.lakelens.models.runtime.ComputeDevice;
import io.lakelens.models.runtime.TorchRuntime;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CLIP of other sizes than the fixture: widths, depths, heads, activations, image and patch
 * size, projection and vocabulary all differ, text and vision widths differ from each other, and
 * the config uses the first-EOS pooling rule. Nothing in the model may assume the fixture's sizes.
 */
class ClipOtherShapesTest {

    static final String CONFIG = """
            {"model_type": "clip", "projection_dim": 12, "logit_scale_init_value": 3.0,
             "text_config": {"vocab_size": 300, "hidden_size": 24, "intermediate_size": 40,
               "num_hidden_layers": 3, "num_attention_heads": 3, "max_position_embeddings": 20,
               "hidden_act": "gelu", "bos_token_id": 298, "eos_token_id": 299},
             "vision_config": {"hidden_size": 40, "intermediate_size": 56, "num_hidden_layers": 1,
               "num_attention_heads": 5, "image_size": 24, "patch_size": 6, "hidden_act": "gelu_new"}}
            """;

    @TempDir
    static Path dir;

    private static ClipEmbedder model;

    @BeforeAll
    static void load() throws Exception {
        TorchRuntime.start(1);
        // An old checkpoint's position_ids buffer is in the file too; the loader must skip it.
        Path folder = RandomClipFolder.write(dir.resolve("clip-other"), CONFIG, tensors -> tensors.put(
                "text_model.embeddings.position_ids", new SafetensorsWriter.Tensor(new long[] {1, 20}, new float[20])));
        model = ClipEmbedder.load(folder, ComputeDevice.cpu());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static void assertUnitRows(float[][] rows, int width) {
        for (float[] row : rows) {
            assertEquals(width, row.length);
            double sum = 0;
            for (float v : row) {
                assertTrue(Float.isFinite(v));
                sum += v * v;
            }
            assertEquals(1.0, Math.sqrt(sum), 1e-5);
        }
    }

    private static float[] randomPixels(int count, long seed) {
        Random r = new Random(seed);
        float[] p = new float[count * model.config().vision().pixelsPerImage()];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) r.nextGaussian();
        }
        return p;
    }

    @Test
    void configIsReadNotAssumed() {
        ClipConfig c = model.config();
        assertEquals(17, c.vision().numPositions());
        assertEquals(8, c.text().headDim());
        assertEquals(3.0f, model.logitScale(), 0f);
    }

    @Test
    void imageEmbeddingsAreUnitNormAndIndependentOfTheBatch() {
        float[] pixels = randomPixels(3, 7);
        float[][] batch = model.embedImages(pixels, 3);
        assertUnitRows(batch, 12);
        int per = model.config().vision().pixelsPerImage();
        for (int i = 0; i < 3; i++) {
            float[] one = java.util.Arrays.copyOfRange(pixels, i * per, (i + 1) * per);
            ClipGolden.assertClose(batch[i], model.embedImages(one, 1)[0], 1e-5, "image " + i + " alone");
        }
        assertThrows(IllegalArgumentException.class, () -> model.embedImages(new float[per - 1], 1));
        assertEquals(0, model.embedImages(new float[0], 0).length);
    }

    @Test
    void textEmbeddingsAreUnitNormAndPaddingInvariant() {
        long[][] texts = {
            {298, 5, 6, 7, 8, 9, 10, 11, 299},
            {298, 42, 299},
            {298, 299},
            {298, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 299},
        };
        float[][] batched = model.embedTokenIds(texts);
        assertUnitRows(batched, 12);
        for (int i = 0; i < texts.length; i++) {
            ClipGolden.assertClose(model.embedTokenIds(new long[][] {texts[i]})[0], batched[i], 1e-5,
                    "text " + i + " alone vs padded in a batch");
        }
        // Padding with an arbitrary id, masked out, changes nothing either.
        long[][] padded = new long[texts.length][20];
        long[][] mask = new long[texts.length][20];
        for (int i = 0; i < texts.length; i++) {
            java.util.Arrays.fill(padded[i], 123L);
            System.arraycopy(texts[i], 0, padded[i], 0, texts[i].length);
            java.util.Arrays.fill(mask[i], 0, texts[i].length, 1L);
        }
        ClipGolden.assertClose(model.embedTokenIdsUnnormalized(texts), model.embedTokenIdsUnnormalized(padded, mask),
                1e-5, "padded to max_position_embeddings");
        assertThrows(IllegalArgumentException.class, () -> model.embedTokenIds(new long[][] {{298, 300, 299}}));
        assertThrows(IllegalArgumentException.class, () -> model.embedTokenIds(new long[][] {new long[21]}));
        assertThrows(IllegalStateException.class, () -> model.embedTexts(java.util.List.of("no tokenizer here")));
    }

    @Test
    void firstEosRulePoolsAtTheFirstEndToken() {
        try (NDManager m = model.model().manager().newSubManager()) {
            long[] positions = model.model().textModel().poolingPositions(
                    m.create(new long[][] {{298, 10, 299, 11, 299}, {298, 299, 299, 299, 299}, {298, 20, 21, 22, 299}}))
                    .toLongArray();
            assertArrayEquals(new long[] {2, 1, 4}, positions);
        }
    }
}
