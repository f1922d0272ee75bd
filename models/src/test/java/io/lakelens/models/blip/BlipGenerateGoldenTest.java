package io.lakelens.models.blip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakelens.models.generation.GeneratedSequence;
import io.lakelens.models.generation.GenerationConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** All 28 golden {@code generate} runs and the batched greedy run, field by field. */
class BlipGenerateGoldenTest {

    /** The exact call of a golden run, from its {@code generate_kwargs}. */
    static GenerationConfig configOf(JsonNode run) {
        JsonNode kw = run.get("generate_kwargs");
        GenerationConfig.Builder b = BlipGolden.captioner().defaultConfig().toBuilder()
                .maxNewTokens(kw.get("max_new_tokens").asInt())
                .doSample(kw.get("do_sample").asBoolean())
                .numBeams(kw.get("num_beams").asInt());
        if (kw.has("length_penalty")) {
            b.lengthPenalty(kw.get("length_penalty").asDouble());
        }
        if (kw.has("early_stopping")) {
            b.earlyStopping(GenerationConfig.EarlyStopping.parse(kw.get("early_stopping").asText()));
        }
        if (!run.get("prompt").isNull()) {
            b.prompt(run.get("prompt").asText());
        }
        return b.build();
    }

    @Test
    void everyGoldenRun() {
        JsonNode runs = BlipGolden.root().get("blip").get("generate");
        assertEquals(28, runs.size());
        for (JsonNode run : runs) {
            String what = run.get("image").asText() + " " + run.get("mode").asText() + " prompt=" + run.get("prompt");
            GenerationConfig config = configOf(run);
            float[] pixels = BlipGolden.pixels(run.get("image").asText());
            Caption caption = BlipGolden.captioner().generate(pixels, 1, config).get(0);
            GeneratedSequence seq = BlipGolden.captioner().generateSequences(pixels, 1, config, new long[1]).get(0);

            int[] expected = BlipGolden.ints(run.get("sequence"));
            assertArrayEquals(expected, caption.tokenIds(), what + ": sequence");
            assertArrayEquals(expected, seq.tokens(), what + ": sequence");
            assertEquals(run.get("decoded").asText(), caption.text(), what + ": decoded");
            assertEquals(run.get("stopped_on_eos").asBoolean(), caption.stoppedOnEos(), what + ": stopped_on_eos");
            int promptLength = BlipGolden.captioner().decoderPrompt(config.prompt()).length;
            assertEquals(expected.length - promptLength, caption.newTokens(), what + ": new tokens");
            if (run.get("mode").asText().equals("greedy")) {
                assertEquals(run.get("num_new_tokens").asInt(), caption.newTokens(), what + ": num_new_tokens");
                assertTrue(Double.isNaN(caption.score()));
                BlipForwardGoldenTest.assertClose(BlipGolden.floats(run.get("step_chosen_logit")), seq.chosenScores(),
                        1e-3, what + ": step_chosen_logit");
            } else {
                // Hugging Face's count for beam search is the number of decoding steps it ran
                // (len(scores)), which exceeds the winner's length when the search went on.
                assertEquals(run.get("num_new_tokens").asInt(), seq.steps(), what + ": num_new_tokens (steps)");
                assertEquals(run.get("sequences_score").asDouble(), caption.score(), 1e-4, what + ": sequences_score");
            }
        }
    }

    @Test
    void batchedGreedyEqualsGoldenAndOneAtATime() {
        JsonNode batched = BlipGolden.root().get("blip").get("batched_greedy_unconditional");
        List<String> images = new ArrayList<>();
        batched.get("images").forEach(n -> images.add(n.asText()));
        GenerationConfig config = BlipGolden.captioner().defaultConfig().toBuilder().maxNewTokens(12).build();
        List<Caption> together = BlipGolden.captioner().generate(BlipGolden.concat(images), images.size(), config);
        assertEquals(images.size(), together.size());
        for (int i = 0; i < images.size(); i++) {
            int[] golden = BlipGolden.ints(batched.get("sequences").get(i));
            int[] ids = together.get(i).tokenIds();
            // Hugging Face right-pads rows that stopped early with pad_token_id 0.
            int[] padded = Arrays.copyOf(ids, golden.length);
            assertArrayEquals(golden, padded, "row " + i);
            Caption alone = BlipGolden.captioner().generate(BlipGolden.pixels(images.get(i)), 1, config).get(0);
            assertArrayEquals(alone.tokenIds(), ids, "row " + i + " alone vs batched");
            assertEquals(alone.text(), together.get(i).text());
        }
    }

    @Test
    void batchedBeamSearchEqualsOneAtATime() {
        List<String> images = BlipGolden.imageNames();
        for (String prompt : new String[] {null, "a picture of"}) {
            GenerationConfig config = BlipGolden.captioner().defaultConfig().toBuilder()
                    .maxNewTokens(12).numBeams(3).prompt(prompt).build();
            List<Caption> together = BlipGolden.captioner().generate(BlipGolden.concat(images), images.size(), config);
            for (int i = 0; i < images.size(); i++) {
                Caption alone = BlipGolden.captioner().generate(BlipGolden.pixels(images.get(i)), 1, config).get(0);
                assertArrayEquals(alone.tokenIds(), together.get(i).tokenIds(), images.get(i) + " prompt=" + prompt);
                // Same tokens exactly; the score is a float32 sum whose rounding depends on the batch.
                assertEquals(alone.score(), together.get(i).score(), 1e-5 * Math.abs(alone.score()));
            }
        }
    }
}
