package io.lakelens.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * CLIP's training objective (Radford et al. 2021, open_clip's {@code ClipLoss}): the symmetric
 * cross-entropy over the batch's image–text similarity matrix. Pair i is (image i, text i); every
 * other text of the batch is a negative for image i and the other way round.
 *
 * <pre>
 *   logits = exp(logit_scale) * normalize(image) · normalize(text)ᵀ      [B, B]
 *   loss   = (CE(logits, arange(B)) + CE(logitsᵀ, arange(B))) / 2       (CE averaged over rows)
 * </pre>
 *
 * <p>The temperature is not clamped here: as in CLIP and open_clip the trainer clamps the
 * {@code logit_scale} parameter itself to [0, ln 100] after every optimizer step ({@link
 * #MAX_LOGIT_SCALE}), so the gradient of the loss is the plain one.
 *
 * <p>The loss sees the whole contrastive batch. With several devices the embeddings of every device
 * are gathered before calling it, so that negatives span the global batch; with gradient
 * accumulation the trainer caches the embeddings of all micro-batches first (GradCache).
 */
public final class ContrastiveLoss {

    /** CLIP clips the logit scale so that similarities are multiplied by at most 100. */
    public static final double MAX_LOGIT_SCALE = Math.log(100);

    private ContrastiveLoss() {}

    /**
     * The loss of a batch.
     *
     * @param imageFeatures {@code [B, P]} image embeddings, not necessarily normalised
     * @param textFeatures {@code [B, P]} text embeddings of the matching captions, same order
     * @param logitScale a scalar (shape {@code []} or {@code [1]}): the log of the temperature multiplier
     * @return a scalar array, differentiable in all three inputs
     * @throws IllegalArgumentException if the shapes differ or the batch is empty
     */
    public static NDArray compute(NDArray imageFeatures, NDArray textFeatures, NDArray logitScale) {
        if (!imageFeatures.getShape().equals(textFeatures.getShape()) || imageFeatures.getShape().dimension() != 2) {
            throw new IllegalArgumentException("image features " + imageFeatures.getShape()
                    + " and text features " + textFeatures.getShape() + " must both be [B, P]");
        }
        long batch = imageFeatures.getShape().get(0);
        if (batch == 0) {
            throw new IllegalArgumentException("the contrastive loss needs at least one pair");
        }
        NDArray logits = logitsPerImage(imageFeatures, textFeatures, logitScale);
        NDManager manager = logits.getManager();
        NDArray diagonal = manager.eye((int) batch).toType(logits.getDataType(), false);
        NDArray imageToText = logits.logSoftmax(1).mul(diagonal).sum();
        NDArray textToImage = logits.logSoftmax(0).mul(diagonal).sum();
        return imageToText.add(textToImage).neg().div(2.0 * batch);
    }

    /**
     * {@code exp(logit_scale) * cos(image_i, text_j)}: row i scores every text against image i.
     */
    public static NDArray logitsPerImage(NDArray imageFeatures, NDArray textFeatures, NDArray logitScale) {
        NDArray image = imageFeatures.normalize(2, -1);
        NDArray text = textFeatures.normalize(2, -1);
        return image.matMul(text.transpose()).mul(logitScale.reshape(1, 1).exp());
    }
}
