package io.lakelens.eval.captions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CiderDTest {

  private final CiderD cider = new CiderD();

  /**
   * Two images, N = 2, so every n-gram seen in one image's references has weight
   * tf·(ln 2 − ln 1) = ln 2, and so does every n-gram no reference has.
   * Image A, candidate "p q r", reference "p q": unigrams: overlap 2·ln²2 over
   * ‖h‖‖r‖ = √3·ln2 · √2·ln2 → 2/√6; bigrams "p q" overlaps → 1/√2; trigrams: the reference has none,
   * its norm is 0, no division, 0. δ = 2 − 1 bigrams = 1, Gaussian e^(−1/72).
   * Score = 10 · (2/√6 + 1/√2) · e^(−1/72) / 4 = 3.7564711970301…
   * Image B, "s" against "s": unigram similarity 1, others 0, δ = 0 → 10·1/4 = 2.5.
   */
  @Test
  void twoImagesByHand() {
    MetricScores scores = cider.score(List.of("p q r", "s"), List.of(List.of("p q"), List.of("s")));
    double imageA = 10 * (2 / Math.sqrt(6) + 1 / Math.sqrt(2)) * Math.exp(-1.0 / 72) / 4;
    assertEquals(imageA, scores.perImage(CiderD.NAME, 0), 1e-14);
    assertEquals(3.7564711970301374, scores.perImage(CiderD.NAME, 0), 1e-14);
    assertEquals(2.5, scores.perImage(CiderD.NAME, 1), 1e-15);
    assertEquals((imageA + 2.5) / 2, scores.corpus(CiderD.NAME), 1e-14);
  }

  @Test
  void singleImageCorpusScoresZero() {
    // quirk C2: ln N = 0 makes every weight 0
    MetricScores scores = cider.score(List.of("a dog"), List.of(List.of("a dog")));
    assertEquals(0.0, scores.corpus(CiderD.NAME));
  }

  @Test
  void ngramsInEveryImageCarryNoWeight() {
    // "a" is in the references of both images: df = N, idf = 0, so only "dog"/"cat" count
    MetricScores withA = cider.score(List.of("a dog", "a cat"), List.of(List.of("a dog"), List.of("a cat")));
    MetricScores scores = cider.score(List.of("dog", "cat"), List.of(List.of("dog"), List.of("cat")));
    assertEquals(2.5, scores.perImage(CiderD.NAME, 0), 1e-15);
    // "a dog": unigram sim 1 ("a" has weight 0), bigram "a dog" sim 1 → 10·2/4
    assertEquals(5.0, withA.perImage(CiderD.NAME, 0), 1e-14);
  }

  @Test
  void referencesAreAveraged() {
    MetricScores one = cider.score(List.of("x", "y"), List.of(List.of("x"), List.of("z")));
    MetricScores two = cider.score(List.of("x", "y"), List.of(List.of("x", "w"), List.of("z")));
    assertEquals(2.5, one.perImage(CiderD.NAME, 0), 1e-15);
    assertEquals(1.25, two.perImage(CiderD.NAME, 0), 1e-15);
  }

  @Test
  void allEmptyReferencesAreRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> cider.score(List.of("a", "b"), List.of(List.of(""), List.of(""))));
  }
}
