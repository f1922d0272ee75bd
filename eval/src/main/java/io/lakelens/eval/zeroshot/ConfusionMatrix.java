package io.lakelens.eval.zeroshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Top-1 confusion counts, rows = true class, columns = predicted class, in class-list order. */
public final class ConfusionMatrix {

  private final List<String> classNames;
  private final long[][] counts;

  ConfusionMatrix(List<String> classNames, long[][] counts) {
    this.classNames = List.copyOf(classNames);
    this.counts = new long[counts.length][];
    for (int i = 0; i < counts.length; i++) {
      this.counts[i] = counts[i].clone();
    }
  }

  public List<String> classNames() {
    return classNames;
  }

  /** Images of class {@code trueClass} predicted as {@code predictedClass}. */
  public long count(int trueClass, int predictedClass) {
    return counts[trueClass][predictedClass];
  }

  /** A copy of the counts, {@code [true][predicted]}. */
  public long[][] counts() {
    long[][] copy = new long[counts.length][];
    for (int i = 0; i < counts.length; i++) {
      copy[i] = counts[i].clone();
    }
    return copy;
  }

  /**
   * The non-zero off-diagonal cells, largest count first; equal counts in class order (true
   * class, then predicted class), so the list is deterministic.
   *
   * @param limit at most this many pairs
   */
  public List<ConfusedPair> mostConfusedPairs(int limit) {
    List<ConfusedPair> pairs = new ArrayList<>();
    for (int t = 0; t < counts.length; t++) {
      for (int p = 0; p < counts.length; p++) {
        if (t != p && counts[t][p] > 0) {
          pairs.add(new ConfusedPair(t, classNames.get(t), p, classNames.get(p), counts[t][p]));
        }
      }
    }
    pairs.sort(Comparator.comparingLong(ConfusedPair::count).reversed()
        .thenComparingInt(ConfusedPair::trueClass).thenComparingInt(ConfusedPair::predictedClass));
    return List.copyOf(pairs.subList(0, Math.min(limit, pairs.size())));
  }
}
