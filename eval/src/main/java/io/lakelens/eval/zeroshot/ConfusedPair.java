package io.lakelens.eval.zeroshot;

/** An off-diagonal cell of the confusion matrix: images of one class predicted as another. */
public record ConfusedPair(int trueClass, String trueName, int predictedClass, String predictedName, long count) {}
