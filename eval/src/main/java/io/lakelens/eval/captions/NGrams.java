package io.lakelens.eval.captions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * N-gram counts of a tokenized sentence, as the reference's {@code precook}: words are
 * {@code str.split()}, and the counts of each order keep first-occurrence order (the order the
 * reference iterates its dicts in, which fixes the floating-point summation order of CIDEr-D).
 */
final class NGrams {

  private NGrams() {}

  /**
   * @return one map per order 1..maxOrder, n-gram (words joined by a single space, unambiguous
   *     because split() words contain no whitespace) to count
   */
  static List<Map<String, Integer>> count(List<String> words, int maxOrder) {
    List<Map<String, Integer>> byOrder = new ArrayList<>(maxOrder);
    for (int k = 1; k <= maxOrder; k++) {
      Map<String, Integer> counts = new LinkedHashMap<>();
      for (int i = 0; i + k <= words.size(); i++) {
        counts.merge(String.join(" ", words.subList(i, i + k)), 1, Integer::sum);
      }
      byOrder.add(counts);
    }
    return byOrder;
  }
}
