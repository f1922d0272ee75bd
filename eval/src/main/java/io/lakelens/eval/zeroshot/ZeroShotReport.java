package io.lakelens.eval.zeroshot;

import java.util.List;

/**
 * Zero-shot classification results (see {@link ZeroShotMetrics}).
 *
 * @param numImages images evaluated
 * @param top1Accuracy fraction whose true class is ranked first
 * @param top5Accuracy fraction whose true class is among the first five; NaN when there are fewer
 *     than 5 classes, as CLIP_benchmark reports it
 * @param perClass top-1 precision/recall/F1/support of every class, in class order
 * @param meanPerClassRecall the mean top-1 recall over classes with support (balanced accuracy,
 *     CLIP_benchmark's {@code mean_per_class_recall})
 * @param classesWithoutSupport classes with no image, excluded from {@code meanPerClassRecall}
 * @param confusion top-1 confusion counts
 */
public record ZeroShotReport(
    int numImages,
    double top1Accuracy,
    double top5Accuracy,
    List<ClassMetrics> perClass,
    double meanPerClassRecall,
    List<String> classesWithoutSupport,
    ConfusionMatrix confusion) {

  public ZeroShotReport {
    perClass = List.copyOf(perClass);
    classesWithoutSupport = List.copyOf(classesWithoutSupport);
  }

  /** Shortcut for {@code confusion().mostConfusedPairs(limit)}. */
  public List<ConfusedPair> mostConfusedPairs(int limit) {
    return confusion.mostConfusedPairs(limit);
  }
}
