package io.lakelens.models.blip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.models.checkpoint.CheckpointException;
import io.lakelens.models.checkpoint.SafetensorsWriter;
import io.lakelens.models.checkpoint.StateDict;
import io.lakelens.models.generation.GenerationConfig;
import io.lakelens.models.runtime.ComputeDevice;
import io.lakelens.models.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint variants that must load, and broken ones that must fail with one clear message. */
class BlipLoadingTest {

    private static final String WORD = "text_decoder.bert.embeddings.word_embeddings.weight";
    private static final String BIAS = "text_decoder.cls.predictions.bias";
    private static final String DECODER_WEIGHT = "text_decoder.cls.predictions.decoder.weight";
    private static final String DECODER_BIAS = "text_decoder.cls.predictions.decoder.bias";

    /**
     * The tensor names and shapes transformers' BlipForConditionalGeneration has for a config, written
     * out from its module tree independently of lakelens's blocks.
     */
    static Map<String, long[]> huggingFaceShapes(int vWidth, int vLayers, int vMlp, int image, int patch,
            int tWidth, int tLayers, int tMlp, int vocab, int positions) {
        Map<String, long[]> s = new LinkedHashMap<>();
        int n = (image / patch) * (image / patch) + 1;
        s.put("vision_model.embeddings.class_embedding", new long[] {1, 1, vWidth});
        s.put("vision_model.embeddings.patch_embedding.weight", new long[] {vWidth, 3, patch, patch});
        s.put("vision_model.embeddings.patch_embedding.bias", new long[] {vWidth});
        s.put("vision_model.embeddings.position_embedding", new long[] {1, n, vWidth});
        for (int l = 0; l < vLayers; l++) {
            String p = "vision_model.encoder.layers." + l + ".";
            s.put(p + "self_attn.qkv.weight", new long[] {3L * vWidth, vWidth});
            s.put(p + "self_attn.qkv.bias", new long[] {3L * vWidth});
            s.put(p + "self_attn.projection.weight", new long[] {vWidth, vWidth});
            s.put(p + "self_attn.projection.bias", new long[] {vWidth});
            s.put(p + "layer_norm1.weight", new long[] {vWidth});
            s.put(p + "layer_norm1.bias", new long[] {vWidth});
            s.put(p + "mlp.fc1.weight", new long[] {vMlp, vWidth});
            s.put(p + "mlp.fc1.bias", new long[] {vMlp});
            s.put(p + "mlp.fc2.weight", new long[] {vWidth, vMlp});
            s.put(p + "mlp.fc2.bias", new long[] {vWidth});
            s.put(p + "layer_norm2.weight", new long[] {vWidth});
            s.put(p + "layer_norm2.bias", new long[] {vWidth});
        }
        s.put("vision_model.post_layernorm.weight", new long[] {vWidth});
        s.put("vision_model.post_layernorm.bias", new long[] {vWidth});
        s.put(WORD, new long[] {vocab, tWidth});
        s.put("text_decoder.bert.embeddings.position_embeddings.weight", new long[] {positions, tWidth});
        s.put("text_decoder.bert.embeddings.LayerNorm.weight", new long[] {tWidth});
        s.put("text_decoder.bert.embeddings.LayerNorm.bias", new long[] {tWidth});
        for (int l = 0; l < tLayers; l++) {
            String p = "text_decoder.bert.encoder.layer." + l + ".";
            for (String block : new String[] {"attention", "crossattention"}) {
                int kvIn = block.equals("attention") ? tWidth : vWidth;
                s.put(p + block + ".self.query.weight", new long[] {tWidth, tWidth});
                s.put(p + block + ".self.query.bias", new long[] {tWidth});
                s.put(p + block + ".self.key.weight", new long[] {tWidth, kvIn});
                s.put(p + block + ".self.key.bias", new long[] {tWidth});
                s.put(p + block + ".self.value.weight", new long[] {tWidth, kvIn});
                s.put(p + block + ".self.value.bias", new long[] {tWidth});
                s.put(p + block + ".output.dense.weight", new long[] {tWidth, tWidth});
                s.put(p + block + ".output.dense.bias", new long[] {tWidth});
                s.put(p + block + ".output.LayerNorm.weight", new long[] {tWidth});
                s.put(p + block + ".output.LayerNorm.bias", new long[] {tWidth});
            }
            s.put(p + "intermediate.dense.weight", new long[] {tMlp, tWidth});
            s.put(p + "intermediate.dense.bias", new long[] {tMlp});
            s.put(p + "output.dense.weight", new long[] {tWidth, tMlp});
            s.put(p + "output.dense.bias", new long[] {tWidth});
            s.put(p + "output.LayerNorm.weight", new long[] {tWidth});
            s.put(p + "output.LayerNorm.bias", new long[] {tWidth});
        }
        s.put("text_decoder.cls.predictions.transform.dense.weight", new long[] {tWidth, tWidth});
        s.put("text_decoder.cls.predictions.transform.dense.bias", new long[] {tWidth});
        s.put("text_decoder.cls.predictions.transform.LayerNorm.weight", new long[] {tWidth});
        s.put("text_decoder.cls.predictions.transform.LayerNorm.bias", new long[] {tWidth});
        s.put(BIAS, new long[] {vocab});
        return s;
    }

    @Test
    void aDifferentlyShapedBlipWithVisionWiderThanTextLoadsAndGenerates(@TempDir Path dir) throws IOException {
        // Like BLIP-large, the vision width (48) differs from the text width (24), so the
        // cross-attention keys and values project from 48 to 24. text_config's own
        // encoder_hidden_size is overridden by the vision width, as transformers' BlipConfig does.
        Files.copy(Fixtures.blipTiny().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("config.json"), """
                {"model_type": "blip",
                 "text_config": {"hidden_size": 24, "num_attention_heads": 3, "num_hidden_layers": 3,
                                 "intermediate_size": 40, "max_position_embeddings": 64, "encoder_hidden_size": 999},
                 "vision_config": {"hidden_size": 48, "num_attention_heads": 6, "num_hidden_layers": 2,
                                   "intermediate_size": 80, "image_size": 24, "patch_size": 8}}
                """);
        SplittableRandom random = new SplittableRandom(11);
        SafetensorsWriter w = new SafetensorsWriter();
        huggingFaceShapes(48, 2, 80, 24, 8, 24, 3, 40, 30524, 64).forEach((name, shape) -> {
            w.put(name, shape, randomValues(shape, random, name));
        });
        w.write(dir.resolve("model.safetensors"));

        try (BlipCaptioner blip = BlipCaptioner.load(dir, ComputeDevice.cpu())) {
            assertEquals(48, blip.config().text().encoderHiddenSize());
            assertEquals(24, blip.config().text().hiddenSize());
            float[] pixels = new float[2 * 3 * 24 * 24];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) random.nextGaussian();
            }
            for (int beams : new int[] {1, 3}) {
                GenerationConfig config = GenerationConfig.builder().maxNewTokens(6).numBeams(beams)
                        .prompt("a picture of").build();
                List<Caption> captions = blip.generate(pixels, 2, config);
                assertEquals(2, captions.size());
                for (Caption c : captions) {
                    assertArrayEquals(new int[] {30522, 1037, 3861, 1997}, java.util.Arrays.copyOf(c.tokenIds(), 4));
                    assertTrue(c.newTokens() >= 1 && c.newTokens() <= 6);
                    assertTrue(c.text().startsWith("a picture of"), c.text());
                }
            }
        }
    }

    private static float[] randomValues(long[] shape, SplittableRandom random, String name) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[(int) n];
        double std = name.endsWith("LayerNorm.weight") || name.endsWith("norm1.weight") || name.endsWith("norm2.weight")
                || name.endsWith("layernorm.weight") ? 0 : 0.5;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (std == 0 ? 1.0 : random.nextGaussian() * std);
        }
        return v;
    }

    /** Copies blip-tiny to {@code dir}, rewriting its weights. */
    private static Path tinyVariant(Path dir, BiConsumer<StateDict, SafetensorsWriter> extra, Predicate<String> keep)
            throws IOException {
        Path tiny = Fixtures.blipTiny();
        for (String f : new String[] {"config.json", "generation_config.json", "tokenizer.json"}) {
            Files.copy(tiny.resolve(f), dir.resolve(f));
        }
        StateDict weights = StateDict.ofFile(tiny.resolve("model.safetensors"));
        SafetensorsWriter w = new SafetensorsWriter();
        for (String name : weights.names()) {
            if (keep.test(name)) {
                w.put(name, weights.info(name).shape(), weights.floats(name));
            }
        }
        extra.accept(weights, w);
        w.write(dir.resolve("model.safetensors"));
        return dir;
    }

    private static int[] greedyIds(Path folder) {
        try (BlipCaptioner blip = BlipCaptioner.load(folder, ComputeDevice.cpu())) {
            return blip.generate(BlipGolden.pixels("rgb_48x40.png"), 1,
                    GenerationConfig.builder().maxNewTokens(12).build()).get(0).tokenIds();
        }
    }

    @Test
    void tiedWeightsMayBeStoredUnderEitherNameOrBoth(@TempDir Path dir) throws IOException {
        int[] expected = BlipGolden.ints(BlipGolden.root().get("blip").get("generate").get(0).get("sequence"));

        Path both = tinyVariant(Files.createDirectory(dir.resolve("both")), (sd, w) -> {
            w.put(DECODER_WEIGHT, sd.info(WORD).shape(), sd.floats(WORD));
            w.put(DECODER_BIAS, sd.info(BIAS).shape(), sd.floats(BIAS));
        }, name -> true);
        assertArrayEquals(expected, greedyIds(both));

        Path decoderOnly = tinyVariant(Files.createDirectory(dir.resolve("decoder-only")), (sd, w) -> {
            w.put(DECODER_WEIGHT, sd.info(WORD).shape(), sd.floats(WORD));
            w.put(DECODER_BIAS, sd.info(BIAS).shape(), sd.floats(BIAS));
        }, name -> !name.equals(WORD) && !name.equals(BIAS));
        assertArrayEquals(expected, greedyIds(decoderOnly));
    }

    @Test
    void legacyBuffersAndUnusedHeadsAreSkipped(@TempDir Path dir) throws IOException {
        int[] expected = BlipGolden.ints(BlipGolden.root().get("blip").get("generate").get(0).get("sequence"));
        Path legacy = tinyVariant(dir, (sd, w) -> {
            w.put("text_decoder.bert.embeddings.position_ids", new long[] {1, 512}, new float[512]);
            w.put("text_decoder.bert.pooler.dense.weight", new long[] {32, 32}, new float[32 * 32]);
            w.put("text_decoder.bert.pooler.dense.bias", new long[] {32}, new float[32]);
        }, name -> true);
        assertArrayEquals(expected, greedyIds(legacy));
    }

    @Test
    void missingTensorsAreListedInOneError(@TempDir Path dir) throws IOException {
        Path broken = tinyVariant(dir, (sd, w) -> w.put("text_decoder.surprise", new long[] {1}, new float[1]),
                name -> !name.startsWith("text_decoder.bert.encoder.layer.1.crossattention.self.")
                        && !name.equals("vision_model.post_layernorm.bias"));
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> BlipCaptioner.load(broken, ComputeDevice.cpu()));
        String msg = e.getMessage();
        assertTrue(msg.contains("7 missing"), msg);
        assertTrue(msg.contains("vision_model.post_layernorm.bias"), msg);
        assertTrue(msg.contains("text_decoder.bert.encoder.layer.1.crossattention.self.key.weight (32, 32)"), msg);
        assertTrue(msg.contains("1 unexpected: text_decoder.surprise"), msg);
    }

    @Test
    void truncatedWeightsFailWithOneClearError(@TempDir Path dir) throws IOException {
        Path tiny = Fixtures.blipTiny();
        for (String f : new String[] {"config.json", "tokenizer.json"}) {
            Files.copy(tiny.resolve(f), dir.resolve(f));
        }
        byte[] full = Files.readAllBytes(tiny.resolve("model.safetensors"));
        Files.write(dir.resolve("model.safetensors"), java.util.Arrays.copyOf(full, full.length / 2));
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> BlipCaptioner.load(dir, ComputeDevice.cpu()));
        assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
    }

    @Test
    void aClipCheckpointIsRefusedByName() {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> BlipCaptioner.load(Fixtures.clipTiny(), ComputeDevice.cpu()));
        assertTrue(e.getMessage().contains("model_type is 'clip'"), e.getMessage());
        assertTrue(e.getMessage().contains("expected 'blip'"), e.getMessage());
    }

    @Test
    void aFolderWithoutTokenizerIsRefused(@TempDir Path dir) throws IOException {
        Files.copy(Fixtures.blipTiny().resolve("config.json"), dir.resolve("config.json"));
        Files.copy(Fixtures.blipTiny().resolve("model.safetensors"), dir.resolve("model.safetensors"));
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> BlipCaptioner.load(dir, ComputeDevice.cpu()));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }
}
