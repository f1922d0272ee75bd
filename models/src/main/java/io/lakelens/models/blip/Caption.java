package io.lakelens.models.blip;

/**
 * A generated caption.
 *
 * @param text the decoded caption, prompt words included (as Hugging Face's {@code decode} gives it)
 * @param tokenIds the full sequence as Hugging Face's {@code generate} returns it: {@code [DEC]}, the
 *     prompt's ids, the new ids ({@code [SEP]} included when generated)
 * @param newTokens how many ids follow the prompt
 * @param stoppedOnEos whether the caption ended with {@code [SEP]} (rather than at the length limit)
 * @param score beam search's {@code sequences_scores} value; NaN for greedy and sampling
 */
public record Caption(String text, int[] tokenIds, int newTokens, boolean stoppedOnEos, double score) {}
