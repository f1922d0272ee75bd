package io.lakelens.eval.zeroshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ZeroShotMetricsTest {

  private static final List<String> CLASSES = List.of("cat", "dog", "bird", "fish");

  /**
   * Six images; "fish" has none. Top-1 predictions: cat, dog, cat | dog, cat | dog.
   * <pre>
   *   true\pred  cat dog bird fish
   *   cat         2   1   0    0
   *   dog         1   1   0    0
   *   bird        0   1   0    0
   * </pre>
   * cat: P = 2/3, R = 2/3, F1 = 2/3. dog: P = 1/3, R = 1/2, F1 = 2·(1/6)/(5/6) = 0.4.
   * bird: never predicted, P = R = F1 = 0. Mean per-class recall over the 3 supported classes:
   * (2/3 + 1/2 + 0)/3 = 7/18. Top-1 = 3/6; top-2 = 5/6 (images 1 and 4 have the truth second).
   */
  private static final int[] TRUE = {0, 0, 0, 1, 1, 2};
  private static final int[][] RANKED = {
      {0, 1, 2, 3}, {1, 0, 2, 3}, {0, 2, 1, 3}, {1, 2, 0, 3}, {0, 1, 2, 3}, {1, 0, 3, 2}};

  @Test
  void handExample() {
    ZeroShotReport r = ZeroShotMetrics.compute(TRUE, RANKED, CLASSES);
    assertEquals(6, r.numImages());
    assertEquals(0.5, r.top1Accuracy());
    assertEquals(5.0 / 6.0, ZeroShotMetrics.topKAccuracy(TRUE, RANKED, 2));
    assertTrue(Double.isNaN(r.top5Accuracy()), "top-5 is undefined with 4 classes");

    assertEquals(new ClassMetrics(0, "cat", 2.0 / 3, 2.0 / 3, 2.0 / 3, 3), r.perClass().get(0));
    ClassMetrics dog = r.perClass().get(1);
    assertEquals(1.0 / 3, dog.precision(), 1e-15);
    assertEquals(0.5, dog.recall());
    assertEquals(0.4, dog.f1(), 1e-15);
    assertEquals(new ClassMetrics(2, "bird", 0, 0, 0, 1), r.perClass().get(2));
    assertEquals(new ClassMetrics(3, "fish", 0, 0, 0, 0), r.perClass().get(3));

    assertEquals(7.0 / 18, r.meanPerClassRecall(), 1e-15);
    assertEquals(List.of("fish"), r.classesWithoutSupport());

    assertArrayEquals(new long[][] {{2, 1, 0, 0}, {1, 1, 0, 0}, {0, 1, 0, 0}, {0, 0, 0, 0}}, r.confusion().counts());
  }

  @Test
  void mostConfusedPairsTieInClassOrder() {
    ZeroShotReport r = ZeroShotMetrics.compute(TRUE, RANKED, CLASSES);
    assertEquals(List.of(
        new ConfusedPair(0, "cat", 1, "dog", 1),
        new ConfusedPair(1, "dog", 0, "cat", 1),
        new ConfusedPair(2, "bird", 1, "dog", 1)), r.mostConfusedPairs(10));
    assertEquals(1, r.mostConfusedPairs(1).size());

    // two more dogs called cats: dog→cat (3) now leads
    int[] moreTrue = {0, 0, 0, 1, 1, 2, 1, 1};
    int[][] moreRanked = {RANKED[0], RANKED[1], RANKED[2], RANKED[3], RANKED[4], RANKED[5], RANKED[4], RANKED[4]};
    assertEquals(new ConfusedPair(1, "dog", 0, "cat", 3),
        ZeroShotMetrics.compute(moreTrue, moreRanked, CLASSES).mostConfusedPairs(1).get(0));
  }

  @Test
  void topFiveWithFiveOrMoreClasses() {
    List<String> six = List.of("a", "b", "c", "d", "e", "f");
    int[] truth = {5, 0};
    int[][] ranked = {{0, 1, 2, 3, 4, 5}, {1, 2, 3, 4, 0, 5}};
    ZeroShotReport r = ZeroShotMetrics.compute(truth, ranked, six);
    assertEquals(0.0, r.top1Accuracy());
    assertEquals(0.5, r.top5Accuracy());
  }

  @Test
  void badInputNamesTheImage() {
    assertEquals("image 1 has true class 9, outside 0..3", assertThrows(IllegalArgumentException.class,
        () -> ZeroShotMetrics.compute(new int[] {0, 9}, new int[][] {{0}, {1}}, CLASSES)).getMessage());
    assertEquals("image 0 ranks class 1 twice", assertThrows(IllegalArgumentException.class,
        () -> ZeroShotMetrics.compute(new int[] {0}, new int[][] {{1, 1}}, CLASSES)).getMessage());
    assertEquals("image 0 has 2 ranked predictions, need at least 5", assertThrows(IllegalArgumentException.class,
        () -> ZeroShotMetrics.compute(new int[] {0}, new int[][] {{1, 0}}, List.of("a", "b", "c", "d", "e"))).getMessage());
    assertThrows(IllegalArgumentException.class, () -> ZeroShotMetrics.compute(new int[0], new int[0][], CLASSES));
  }
}
