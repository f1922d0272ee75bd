package io.lakelens.finetune;

/**
 * One contrastive batch: B preprocessed images and their B tokenized captions, pair i being
 * (image i, caption i).
 *
 * @param pixels {@code B x C x S x S} floats, images one after another, channel-first, preprocessed
 * @param inputIds {@code [B][T]} token ids, every row padded to one length T
 * @param attentionMask {@code [B][T]}: 1 for tokens, 0 for padding
 */
public record TrainingBatch(float[] pixels, long[][] inputIds, long[][] attentionMask) {

    public TrainingBatch {
        if (inputIds.length == 0) {
            throw new IllegalArgumentException("a training batch needs at least one pair");
        }
        if (attentionMask.length != inputIds.length || pixels.length % inputIds.length != 0) {
            throw new IllegalArgumentException(inputIds.length + " captions, " + attentionMask.length
                    + " masks and " + pixels.length + " pixel values do not describe one batch");
        }
        int length = inputIds[0].length;
        for (int i = 0; i < inputIds.length; i++) {
            if (inputIds[i].length != length || attentionMask[i].length != length) {
                throw new IllegalArgumentException("caption " + i + " is not padded to the batch length " + length);
            }
        }
    }

    public int size() {
        return inputIds.length;
    }

    /** Pairs {@code from} (inclusive) to {@code to} (exclusive), for micro-batches. */
    public TrainingBatch slice(int from, int to) {
        int per = pixels.length / size();
        float[] p = java.util.Arrays.copyOfRange(pixels, from * per, to * per);
        return new TrainingBatch(p, java.util.Arrays.copyOfRange(inputIds, from, to),
                java.util.Arrays.copyOfRange(attentionMask, from, to));
    }
}
