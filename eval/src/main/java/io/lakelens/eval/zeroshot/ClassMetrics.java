package io.lakelens.eval.zeroshot;

/**
 * Top-1 precision, recall and F1 of one class. A ratio whose denominator is 0 (a class never
 * predicted, or never true) is 0, as scikit-learn's default {@code zero_division} gives.
 *
 * @param support number of images whose true label is this class
 */
public record ClassMetrics(int classIndex, String className, double precision, double recall, double f1, long support) {}
