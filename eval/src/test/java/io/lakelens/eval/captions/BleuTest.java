package io.lakelens.eval.captions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BleuTest {

  private final Bleu bleu = new Bleu();

  /**
   * Image 1 of edge_toy_hand_checkable, by hand. Candidate "the cat is on the mat" (6 words);
   * references "a cat sits on the mat" (6) and "there is a cat on the mat" (7).
   * Unigrams: the×2 (clipped to 1, each reference has one "the"), cat, is, on, mat → correct_1 = 5
   * of guess_1 = 6. Bigrams: "on the", "the mat" match → correct_2 = 2 of 5. Closest reference
   * length 6, so ratio = (6 + 1e-15)/(6 + 1e-9) < 1 (quirk B3) and
   * BLEU_1 = (5 + 1e-15)/(6 + 1e-9) · exp(1 − 1/ratio) ≈ 5/6 · (1 − 1e-9/6)² = 0.83333333305555…
   */
  @Test
  void toyImageByHand() {
    BleuStats stats = bleu.stats("the cat is on the mat",
        List.of("a cat sits on the mat", "there is a cat on the mat"));
    assertEquals(new BleuStats(6, 6, new int[] {6, 7}, new int[] {6, 5, 4, 3}, new int[] {5, 2, 1, 0}), stats);
    double ratio = (6 + 1e-15) / (6 + 1e-9);
    double byHand = (5 + 1e-15) / (6 + 1e-9) * Math.exp(1 - 1 / ratio);
    double[] scores = bleu.imageScores(stats);
    assertEquals(byHand, scores[0], 1e-16);
    assertEquals(0.8333333330555557, scores[0], 1e-16);
    assertEquals(5.0 / 6.0 * (1 - 1e-9 / 6) * (1 - 1e-9 / 6), scores[0], 1e-15);
  }

  @Test
  void closestReferenceLengthTiesGoToTheShorter() {
    assertEquals(4, bleu.stats("a b c d e", List.of("a b c d e f", "a b c d")).closestReferenceLength());
    assertEquals(6, bleu.stats("a b c d e", List.of("a b c d e f", "a b c")).closestReferenceLength());
  }

  @Test
  void emptyCandidateScoresExactlyZero() {
    BleuStats stats = bleu.stats("", List.of("a dog"));
    assertEquals(0, stats.testLength());
    assertArrayEquals(new double[] {0, 0, 0, 0}, bleu.imageScores(stats));
  }

  @Test
  void oneWordCandidateGrowsWithOrder() {
    // quirk B2: no match gives p_1 = 1e-15, and p_2..p_4 = 1e-15/1e-9 = 1e-6 as there is no
    // bigram to guess, so BLEU-1 ∝ 1e-15 but BLEU-4 ∝ (1e-15·1e-18)^(1/4) ≈ 5.6e-9
    double[] scores = bleu.imageScores(bleu.stats("cat", List.of("a dog runs")));
    assertTrue(scores[3] > scores[0], () -> java.util.Arrays.toString(scores));
  }

  @Test
  void perfectCandidateIsJustBelowOne() {
    // quirk B3: a 10-word exact match scores 0.9999999998, not 1
    String s = "a man is riding a brown horse on the beach";
    double[] scores = bleu.imageScores(bleu.stats(s, List.of(s)));
    assertEquals(0.9999999998, scores[3], 1e-10);
    assertTrue(scores[3] < 1.0);
  }

  @Test
  void noBreakSpaceSeparatesWords() {
    // quirk T5: str.split() splits "<b\u00a0a>" into two words
    assertEquals(2, bleu.stats("<b\u00a0a>", List.of("x")).testLength());
  }

  @Test
  void corpusUsesSummedStatisticsNotTheMean() {
    MetricScores scores = bleu.score(List.of("a b", "c d e f"), List.of(List.of("a b"), List.of("c d x y")));
    BleuCorpusStats corpus = bleu.corpusStats(List.of(
        bleu.stats("a b", List.of("a b")), bleu.stats("c d e f", List.of("c d x y"))));
    assertEquals(new BleuCorpusStats(6, 6, new long[] {6, 4, 2, 1}, new long[] {4, 2, 0, 0}), corpus);
    assertArrayEquals(bleu.corpusScores(corpus),
        scores.corpus().values().stream().mapToDouble(Double::doubleValue).toArray());
    assertEquals(List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4"), bleu.scoreNames());
  }

  @Test
  void rejectsAnImageWithoutReferences() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> bleu.score(List.of("a", "b"), List.of(List.of("a"), List.of())));
    assertEquals("image #1 has no references", e.getMessage());
  }
}
