package io.lakelens.models.generation;

/**
 * One decoded sequence, as Hugging Face's {@code generate} returns it, plus facts about the run.
 *
 * @param tokens the whole sequence: decoder prompt, then the new tokens (the end-of-sequence token
 *     included when produced)
 * @param newTokens how many tokens follow the prompt
 * @param stoppedOnEos whether the sequence ends with the end-of-sequence token
 * @param score beam search: Hugging Face's {@code sequences_scores} (sum of the chosen tokens'
 *     log-probabilities divided by {@code newTokens ^ lengthPenalty}); NaN otherwise
 * @param steps decoding steps run for this image (for beam search this can exceed {@code newTokens}:
 *     the search goes on while a live beam may still beat a finished one)
 * @param chosenScores greedy and sampling: per new token, its logit after the logits processors
 *     (the raw logit when none is active); empty for beam search
 */
public record GeneratedSequence(
        int[] tokens, int newTokens, boolean stoppedOnEos, double score, int steps, float[] chosenScores) {}
