package io.lakelens.models.blip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.models.generation.GeneratedSequence;
import io.lakelens.models.generation.GenerationConfig;
import io.lakelens.models.generation.GenerationConfig.EarlyStopping;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Sampling, the logits processors and the stopping rules, end to end on blip-tiny. */
class BlipDecodingOptionsTest {

    private static final List<String> IMAGES = List.of("rgb_48x40.png", "rgb_40x64.jpg", "gray_64x48.png");

    private static GenerationConfig.Builder base() {
        return BlipGolden.captioner().defaultConfig().toBuilder().maxNewTokens(12);
    }

    private static List<Caption> run(List<String> images, GenerationConfig c) {
        return BlipGolden.captioner().generate(BlipGolden.concat(images), images.size(), c);
    }

    @Test
    void sameSeedSameCaptionsDifferentSeedsDifferentCaptions() {
        GenerationConfig sampling = base().doSample(true).seed(42).build();
        List<Caption> a = run(IMAGES, sampling);
        List<Caption> b = run(IMAGES, sampling);
        for (int i = 0; i < IMAGES.size(); i++) {
            assertArrayEquals(a.get(i).tokenIds(), b.get(i).tokenIds());
            assertTrue(Double.isNaN(a.get(i).score()));
        }
        Set<String> distinct = new HashSet<>();
        for (long seed = 0; seed < 5; seed++) {
            distinct.add(run(List.of("rgb_48x40.png"), base().doSample(true).seed(seed).build()).get(0).text());
        }
        assertTrue(distinct.size() >= 4, "5 seeds gave only " + distinct);
    }

    @Test
    void sampledCaptionsDoNotDependOnTheRestOfTheBatch() {
        GenerationConfig sampling = base().doSample(true).temperature(1.5).topK(0).seed(7).build();
        Caption alone = run(List.of("gray_64x48.png"), sampling).get(0);
        List<Caption> batch = run(List.of("rgb_48x40.png", "gray_64x48.png", "rgb_40x64.jpg"), sampling);
        assertArrayEquals(alone.tokenIds(), batch.get(1).tokenIds());

        long[] seeds = {3, 7, 11};
        List<Caption> seeded = BlipGolden.captioner().generate(
                BlipGolden.concat(List.of("rgb_48x40.png", "gray_64x48.png", "rgb_40x64.jpg")), 3, sampling, seeds);
        assertArrayEquals(alone.tokenIds(), seeded.get(1).tokenIds());
    }

    @Test
    void topKOneSamplingIsGreedy() {
        for (String prompt : new String[] {null, "a picture of"}) {
            List<Caption> greedy = run(IMAGES, base().prompt(prompt).build());
            List<Caption> sampled = run(IMAGES, base().prompt(prompt).doSample(true).topK(1).temperature(0.7)
                    .seed(99).build());
            for (int i = 0; i < IMAGES.size(); i++) {
                assertArrayEquals(greedy.get(i).tokenIds(), sampled.get(i).tokenIds());
            }
        }
    }

    @Test
    void minNewTokensHoldsBackEos() {
        // Greedy with the prompt stops after 5 new tokens on this image.
        GenerationConfig prompt = base().prompt("a picture of").build();
        Caption early = run(List.of("rgb_40x64.jpg"), prompt).get(0);
        assertTrue(early.stoppedOnEos());
        assertEquals(5, early.newTokens());
        for (int beams : new int[] {1, 3}) {
            Caption held = run(List.of("rgb_40x64.jpg"),
                    prompt.toBuilder().numBeams(beams).minNewTokens(9).build()).get(0);
            assertTrue(held.newTokens() >= 9, "beams " + beams + ": " + held.newTokens());
            int[] ids = held.tokenIds();
            for (int i = 4; i < 4 + 8; i++) {
                assertNotEquals(102, ids[i], "EOS before min_new_tokens");
            }
        }
        Caption forced = run(List.of("rgb_40x64.jpg"), base().maxNewTokens(20).minNewTokens(20).build()).get(0);
        assertEquals(20, forced.newTokens());
        assertFalse(forced.stoppedOnEos());
    }

    @Test
    void repetitionPenaltyAndNoRepeatNgrams() {
        // Unpenalised greedy on this image repeats "boats" (19468).
        Caption plain = run(List.of("rgb_48x40.png"), base().build()).get(0);
        assertTrue(count(plain.tokenIds(), 19468) > 1);
        for (int beams : new int[] {1, 3}) {
            Caption unigram = run(List.of("rgb_48x40.png"), base().numBeams(beams).noRepeatNgramSize(1).build()).get(0);
            assertEquals(unigram.tokenIds().length, distinct(unigram.tokenIds()), "beams " + beams);
            Caption bigram = run(List.of("rgb_48x40.png"), base().numBeams(beams).noRepeatNgramSize(2).build()).get(0);
            assertTrue(noRepeatedBigram(bigram.tokenIds()), "beams " + beams);
            Caption penalised = run(List.of("rgb_48x40.png"),
                    base().numBeams(beams).repetitionPenalty(100.0).build()).get(0);
            assertEquals(penalised.tokenIds().length, distinct(penalised.tokenIds()), "beams " + beams);
        }
    }

    @Test
    void earlyStoppingVariantsStopInTheirOrder() {
        for (String image : BlipGolden.imageNames()) {
            int[] steps = new int[3];
            double[] scores = new double[3];
            int i = 0;
            for (EarlyStopping rule : new EarlyStopping[] {EarlyStopping.TRUE, EarlyStopping.FALSE,
                    EarlyStopping.NEVER}) {
                GenerationConfig c = base().numBeams(3).earlyStopping(rule).lengthPenalty(1.0).build();
                GeneratedSequence s = BlipGolden.captioner().generateSequences(BlipGolden.pixels(image), 1, c,
                        new long[1]).get(0);
                steps[i] = s.steps();
                scores[i] = s.score();
                i++;
            }
            assertTrue(steps[0] <= steps[1] && steps[1] <= steps[2], image + " steps " + java.util.Arrays.toString(steps));
            // Searching longer can only find better finished hypotheses.
            assertTrue(scores[0] <= scores[1] + 1e-6 && scores[1] <= scores[2] + 1e-6, image);
        }
    }

    @Test
    void lengthPenaltyChangesTheScoreNormalisation() {
        float[] pixels = BlipGolden.pixels("rgb_100x100.png");
        GeneratedSequence sum = BlipGolden.captioner().generateSequences(pixels, 1,
                base().numBeams(3).lengthPenalty(0.0).build(), new long[1]).get(0);
        GeneratedSequence mean = BlipGolden.captioner().generateSequences(pixels, 1,
                base().numBeams(3).lengthPenalty(1.0).build(), new long[1]).get(0);
        // Log-probabilities are negative, so a sum (penalty 0) is below the mean (penalty 1) of any
        // hypothesis longer than one token, and so below the best mean.
        assertTrue(sum.score() < mean.score(), sum.score() + " vs " + mean.score());
        assertTrue(sum.newTokens() > 1);
    }

    @Test
    void badCallsAreRejected() {
        float[] one = BlipGolden.pixels("rgb_48x40.png");
        GenerationConfig c = base().build();
        IllegalArgumentException wrongSize = assertThrows(IllegalArgumentException.class,
                () -> BlipGolden.captioner().generate(one, 2, c));
        assertTrue(wrongSize.getMessage().contains("pixelValuesChw"), wrongSize.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BlipGolden.captioner().generate(one, 0, c));
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> BlipGolden.captioner().generate(one, 1, c.toBuilder().maxNewTokens(600).build()));
        assertTrue(tooLong.getMessage().contains("max_position_embeddings"), tooLong.getMessage());
        IllegalArgumentException seeds = assertThrows(IllegalArgumentException.class,
                () -> BlipGolden.captioner().generate(one, 1, c, new long[2]));
        assertTrue(seeds.getMessage().contains("seed"), seeds.getMessage());
    }

    private static int count(int[] ids, int token) {
        int n = 0;
        for (int id : ids) {
            n += id == token ? 1 : 0;
        }
        return n;
    }

    private static int distinct(int[] ids) {
        Set<Integer> s = new HashSet<>();
        for (int id : ids) {
            s.add(id);
        }
        return s.size();
    }

    private static boolean noRepeatedBigram(int[] ids) {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i + 1 < ids.length; i++) {
            if (!seen.add(((long) ids[i] << 32) | ids[i + 1])) {
                return false;
            }
        }
        return true;
    }
}
