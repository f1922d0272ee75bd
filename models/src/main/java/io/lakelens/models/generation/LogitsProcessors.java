package io.lakelens.models.generation;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Hugging Face's logits processors and warpers (transformers 4.57), applied in its order to one row
 * of scores in place: repetition penalty, no-repeat n-grams, minimum new tokens; then, when
 * sampling, temperature, top-k and top-p. Arithmetic is float32 where Hugging Face's is, so a
 * processed score equals the reference's bit for bit or within a rounding step.
 */
public final class LogitsProcessors {

    private LogitsProcessors() {}

    /**
     * The processors every decoding mode runs (on raw logits for greedy and sampling, on
     * log-probabilities for beam search).
     *
     * @param scores one row, changed in place
     * @param sequence the row's whole sequence so far, prompt included
     * @param newTokens how many of those are new
     * @param eosTokenId the end-of-sequence token
     */
    public static void process(float[] scores, int[] sequence, int newTokens, GenerationConfig c, int eosTokenId) {
        if (c.repetitionPenalty() != 1.0) {
            repetitionPenalty(scores, sequence, (float) c.repetitionPenalty());
        }
        if (c.noRepeatNgramSize() > 0) {
            banRepeatedNgrams(scores, sequence, c.noRepeatNgramSize());
        }
        if (newTokens < c.minNewTokens() && eosTokenId >= 0 && eosTokenId < scores.length) {
            scores[eosTokenId] = Float.NEGATIVE_INFINITY;
        }
    }

    /**
     * CTRL's penalty as Hugging Face applies it: for every token already in the sequence (once, however
     * often it occurs), a positive score is divided by the penalty and a negative one multiplied.
     */
    static void repetitionPenalty(float[] scores, int[] sequence, float penalty) {
        boolean[] seen = new boolean[scores.length];
        for (int t : sequence) {
            if (t < 0 || t >= scores.length || seen[t]) {
                continue;
            }
            seen[t] = true;
            float s = scores[t];
            scores[t] = s < 0 ? s * penalty : s / penalty;
        }
    }

    /** Forbids every token that would complete an n-gram already present in the sequence. */
    static void banRepeatedNgrams(float[] scores, int[] sequence, int n) {
        int len = sequence.length;
        if (len + 1 < n) {
            return;
        }
        int prefixStart = len - (n - 1);
        for (int i = 0; i + n <= len; i++) {
            boolean same = true;
            for (int j = 0; j < n - 1 && same; j++) {
                same = sequence[i + j] == sequence[prefixStart + j];
            }
            if (same) {
                int banned = sequence[i + n - 1];
                if (banned >= 0 && banned < scores.length) {
                    scores[banned] = Float.NEGATIVE_INFINITY;
                }
            }
        }
    }

    /** Sampling warpers in Hugging Face's order: temperature, top-k, top-p. */
    public static void warp(float[] scores, GenerationConfig c) {
        if (c.temperature() != 1.0) {
            float t = (float) c.temperature();
            for (int i = 0; i < scores.length; i++) {
                scores[i] = scores[i] / t;
            }
        }
        if (c.topK() > 0) {
            topK(scores, Math.min(c.topK(), scores.length));
        }
        if (c.topP() < 1.0) {
            topP(scores, c.topP());
        }
    }

    /** Keeps scores not below the k-th largest (ties with it are kept, as in Hugging Face). */
    static void topK(float[] scores, int k) {
        float[] sorted = scores.clone();
        Arrays.sort(sorted);
        float kth = sorted[sorted.length - k];
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] < kth) {
                scores[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /**
     * Nucleus filtering as Hugging Face does it: sort ascending, drop the tokens whose cumulative
     * probability stays at or below {@code 1 - p}, and always keep the most likely one.
     */
    static void topP(float[] scores, double p) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(scores[a], scores[b]));
        double max = scores[order[n - 1]];
        double sum = 0;
        double[] e = new double[n];
        for (int r = 0; r < n; r++) {
            e[r] = Math.exp(scores[order[r]] - max);
            sum += e[r];
        }
        float threshold = (float) (1 - p);
        double cumulative = 0;
        for (int r = 0; r < n - 1; r++) {
            cumulative += e[r] / sum;
            if ((float) cumulative > threshold) {
                break;
            }
            scores[order[r]] = Float.NEGATIVE_INFINITY;
        }
    }

    /** Index of the largest score, the first one on ties (as {@code torch.argmax}). */
    public static int argmax(float[] scores) {
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Draws a token from {@code softmax(scores)} with the row's own random stream. */
    public static int sample(float[] scores, SplittableRandom random) {
        float max = scores[argmax(scores)];
        double sum = 0;
        for (float s : scores) {
            sum += Math.exp(s - max);
        }
        double u = random.nextDouble() * sum;
        double cumulative = 0;
        int last = -1;
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] == Float.NEGATIVE_INFINITY) {
                continue;
            }
            cumulative += Math.exp(scores[i] - max);
            last = i;
            if (u < cumulative) {
                return i;
            }
        }
        return last;
    }

    /** {@code log_softmax} of a row, accumulated in double, rounded to float32. */
    public static float[] logSoftmax(float[] logits) {
        float max = logits[argmax(logits)];
        double sum = 0;
        for (float x : logits) {
            sum += Math.exp((double) x - max);
        }
        double logSum = Math.log(sum);
        float[] out = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = (float) ((double) logits[i] - max - logSum);
        }
        return out;
    }
}
