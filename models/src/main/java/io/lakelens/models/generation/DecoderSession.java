package io.lakelens.models.generation;

/**
 * What a decoding strategy needs from a model: the next-token logits of every live row, with the
 * model keeping its own key/value cache between calls.
 *
 * <p>Rows are grouped by image: each live image owns the same number of consecutive rows (1 for
 * greedy and sampling, the beam count for beam search), so a model can share per-image work such as
 * cross-attention keys and values between an image's rows.
 */
public interface DecoderSession {

    /**
     * Feeds the next tokens of every live row and returns each row's logits at its last position.
     *
     * @param tokens {@code [rows][t]}: every row the same {@code t} (the decoder prompt on the first
     *     call, then one token)
     * @return {@code [rows][vocab]} raw logits
     */
    float[][] forward(int[][] tokens);

    /**
     * Keeps, drops, duplicates and reorders rows between two {@link #forward} calls.
     *
     * @param rowSources for each new row, the current row whose history (cache) it continues
     * @param imageSources for each new image, its current index; new image {@code i} owns new rows
     *     {@code [i*b, (i+1)*b)} with {@code b = rowSources.length / imageSources.length}
     */
    void select(int[] rowSources, int[] imageSources);
}
