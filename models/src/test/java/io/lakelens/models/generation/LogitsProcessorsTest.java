package io.lakelens.models.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogitsProcessorsTest {

    private static final float NEG = Float.NEGATIVE_INFINITY;

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeOncePerToken() {
        float[] s = {2f, -2f, 3f, 1f};
        LogitsProcessors.repetitionPenalty(s, new int[] {0, 1, 1, 0}, 2f);
        assertArrayEquals(new float[] {1f, -4f, 3f, 1f}, s);
    }

    @Test
    void noRepeatNgramBansCompletionsOfSeenNgrams() {
        // Sequence 5 6 7 5 6: the bigram prefix "6" was followed by 7, trigram prefix "5 6" by 7.
        float[] bigram = new float[10];
        LogitsProcessors.banRepeatedNgrams(bigram, new int[] {5, 6, 7, 5, 6}, 2);
        assertEquals(NEG, bigram[7]);
        assertEquals(0f, bigram[5]);
        float[] trigram = new float[10];
        LogitsProcessors.banRepeatedNgrams(trigram, new int[] {5, 6, 7, 5, 6}, 3);
        assertEquals(NEG, trigram[7]);
        float[] unigram = new float[10];
        LogitsProcessors.banRepeatedNgrams(unigram, new int[] {5, 6}, 1);
        assertEquals(NEG, unigram[5]);
        assertEquals(NEG, unigram[6]);
        assertEquals(0f, unigram[7]);
        float[] tooShort = new float[10];
        LogitsProcessors.banRepeatedNgrams(tooShort, new int[] {5}, 3);
        assertArrayEquals(new float[10], tooShort);
    }

    @Test
    void minNewTokensForbidsEosUntilReached() {
        GenerationConfig c = GenerationConfig.builder().maxNewTokens(5).minNewTokens(2).build();
        float[] s = {1f, 2f, 3f};
        LogitsProcessors.process(s, new int[] {0}, 1, c, 2);
        assertEquals(NEG, s[2]);
        float[] later = {1f, 2f, 3f};
        LogitsProcessors.process(later, new int[] {0, 1, 1}, 2, c, 2);
        assertEquals(3f, later[2]);
    }

    @Test
    void topKKeepsTiesAndTopPKeepsTheNucleus() {
        float[] s = {1f, 3f, 3f, 2f, 0f};
        LogitsProcessors.topK(s, 2);
        assertArrayEquals(new float[] {NEG, 3f, 3f, NEG, NEG}, s);
        // Probabilities ~ 0.64, 0.24, 0.09, 0.03: top-p 0.8 keeps the first two.
        float[] p = {3f, 2f, 1f, 0f};
        LogitsProcessors.topP(p, 0.8);
        assertArrayEquals(new float[] {3f, 2f, NEG, NEG}, p);
        float[] one = {3f, 2f, 1f, 0f};
        LogitsProcessors.topP(one, 0.0);
        assertArrayEquals(new float[] {3f, NEG, NEG, NEG}, one);
    }

    @Test
    void samplingFollowsTheDistribution() {
        float[] s = {0f, (float) Math.log(3), NEG};
        SplittableRandom random = new SplittableRandom(1);
        int[] counts = new int[3];
        for (int i = 0; i < 40000; i++) {
            counts[LogitsProcessors.sample(s, random)]++;
        }
        assertEquals(0, counts[2]);
        assertEquals(0.75, counts[1] / 40000.0, 0.01);
    }

    @Test
    void logSoftmaxNormalises() {
        float[] lp = LogitsProcessors.logSoftmax(new float[] {1f, 2f, 3f});
        double sum = 0;
        for (float x : lp) {
            sum += Math.exp(x);
        }
        assertEquals(1.0, sum, 1e-6);
        assertEquals(-0.40760596f, lp[2], 1e-6);
    }
}
