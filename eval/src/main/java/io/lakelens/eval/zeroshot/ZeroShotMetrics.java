package io.lakelens.eval.zeroshot;

import java.util.ArrayList;
import java.util.List;

/**
 * Zero-shot classification metrics from ranked predictions, following CLIP_benchmark's
 * {@code zeroshot_classification} (acc1, acc5, mean_per_class_recall) plus scikit-learn-style
 * per-class precision/recall/F1 and a confusion matrix.
 *
 * <p>Input per image: the true class index and the predicted class indices ranked best first
 * (at least one; at least five when top-5 is defined, i.e. with 5 or more classes). Per-class
 * numbers and the confusion matrix use the first-ranked class.
 *
 * <p>Mean per-class recall averages only classes with at least one image (scikit-learn's
 * {@code balanced_accuracy_score} drops the others too); those classes are listed in
 * {@link ZeroShotReport#classesWithoutSupport()} so a report can say so.
 */
public final class ZeroShotMetrics {

  private ZeroShotMetrics() {}

  /**
   * @param trueLabels true class index per image
   * @param rankedPredictions per image, predicted class indices best first, without repeats
   * @param classNames the class list; indices refer to it
   * @throws IllegalArgumentException naming the image index for out-of-range or repeated classes,
   *     a ranking that is too short, or mismatched lengths
   */
  public static ZeroShotReport compute(int[] trueLabels, int[][] rankedPredictions, List<String> classNames) {
    int numClasses = classNames.size();
    check(trueLabels, rankedPredictions, numClasses);
    int n = trueLabels.length;

    long[][] confusion = new long[numClasses][numClasses];
    long[] top5Hits = new long[numClasses];
    for (int i = 0; i < n; i++) {
      confusion[trueLabels[i]][rankedPredictions[i][0]]++;
      if (numClasses >= 5) {
        for (int r = 0; r < 5; r++) {
          if (rankedPredictions[i][r] == trueLabels[i]) {
            top5Hits[trueLabels[i]]++;
            break;
          }
        }
      }
    }
    return fromCounts(classNames, confusion, numClasses >= 5 ? top5Hits : null);
  }

  /**
   * The same report from aggregated counts, for callers that count in a distributed job: the top-1
   * confusion matrix and, per true class, how many images had it among their first five predictions.
   *
   * @param confusion {@code [true][predicted]} top-1 counts
   * @param top5HitsPerClass per true class, images with the true class in the top five; null when
   *     there are fewer than 5 classes (top-5 accuracy is then NaN)
   */
  public static ZeroShotReport fromCounts(List<String> classNames, long[][] confusion, long[] top5HitsPerClass) {
    int numClasses = classNames.size();
    if (confusion.length != numClasses) {
      throw new IllegalArgumentException("confusion matrix has " + confusion.length + " rows for "
          + numClasses + " classes");
    }
    long n = 0;
    long top1 = 0;
    long top5 = 0;
    List<ClassMetrics> perClass = new ArrayList<>(numClasses);
    List<String> withoutSupport = new ArrayList<>();
    double recallSum = 0;
    int supported = 0;
    for (int c = 0; c < numClasses; c++) {
      long truePositives = confusion[c][c];
      long support = 0;
      long predicted = 0;
      for (int o = 0; o < numClasses; o++) {
        support += confusion[c][o];
        predicted += confusion[o][c];
      }
      n += support;
      top1 += truePositives;
      top5 += top5HitsPerClass == null ? 0 : top5HitsPerClass[c];
      double precision = ratio(truePositives, predicted);
      double recall = ratio(truePositives, support);
      double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
      perClass.add(new ClassMetrics(c, classNames.get(c), precision, recall, f1, support));
      if (support == 0) {
        withoutSupport.add(classNames.get(c));
      } else {
        recallSum += recall;
        supported++;
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException("no images to evaluate");
    }
    double top5Accuracy = top5HitsPerClass == null ? Double.NaN : top5 / (double) n;
    return new ZeroShotReport(Math.toIntExact(n), top1 / (double) n, top5Accuracy, perClass,
        recallSum / supported, withoutSupport, new ConfusionMatrix(classNames, confusion));
  }

  /** Fraction of images whose true class is among the first {@code k} ranked predictions. */
  public static double topKAccuracy(int[] trueLabels, int[][] rankedPredictions, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("top-k accuracy needs k >= 1, got " + k);
    }
    long hits = 0;
    for (int i = 0; i < trueLabels.length; i++) {
      int[] ranking = rankedPredictions[i];
      if (ranking.length < k) {
        throw new IllegalArgumentException("image " + i + " has " + ranking.length
            + " ranked predictions, top-" + k + " accuracy needs " + k);
      }
      for (int r = 0; r < k; r++) {
        if (ranking[r] == trueLabels[i]) {
          hits++;
          break;
        }
      }
    }
    return hits / (double) trueLabels.length;
  }

  private static double ratio(long numerator, long denominator) {
    return denominator == 0 ? 0 : numerator / (double) denominator;
  }

  private static void check(int[] trueLabels, int[][] rankedPredictions, int numClasses) {
    if (trueLabels.length == 0) {
      throw new IllegalArgumentException("no images to evaluate");
    }
    if (trueLabels.length != rankedPredictions.length) {
      throw new IllegalArgumentException("got " + trueLabels.length + " true labels but "
          + rankedPredictions.length + " rankings");
    }
    int needed = numClasses >= 5 ? 5 : 1;
    for (int i = 0; i < trueLabels.length; i++) {
      if (trueLabels[i] < 0 || trueLabels[i] >= numClasses) {
        throw new IllegalArgumentException("image " + i + " has true class " + trueLabels[i]
            + ", outside 0.." + (numClasses - 1));
      }
      int[] ranking = rankedPredictions[i];
      if (ranking.length < needed) {
        throw new IllegalArgumentException("image " + i + " has " + ranking.length
            + " ranked predictions, need at least " + needed);
      }
      boolean[] seen = new boolean[numClasses];
      for (int c : ranking) {
        if (c < 0 || c >= numClasses) {
          throw new IllegalArgumentException("image " + i + " ranks class " + c + ", outside 0.." + (numClasses - 1));
        }
        if (seen[c]) {
          throw new IllegalArgumentException("image " + i + " ranks class " + c + " twice");
        }
        seen[c] = true;
      }
    }
  }
}
