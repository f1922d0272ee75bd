package io.lakelens.eval.captions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RougeLTest {

  /**
   * Image 1 of edge_toy_hand_checkable, by hand. Candidate [the cat is on the mat];
   * LCS with "a cat sits on the mat" is "cat on the mat" = 4, with "there is a cat on the mat" also
   * 4. P = max(4/6, 4/6) = 2/3, R = max(4/6, 4/7) = 2/3, and F with P = R is P: 2/3.
   */
  @Test
  void toyImageByHand() {
    assertEquals(2.0 / 3.0, RougeL.imageScore("the cat is on the mat",
        List.of("a cat sits on the mat", "there is a cat on the mat")), 1e-16);
  }

  /**
   * Image 3: "a woman eats a pizza" shares only "a" with "men playing tennis on a court":
   * P = 1/5, R = 1/6, F = 2.44·(1/5)(1/6) / (1/6 + 1.44/5) = 0.17888563049853…
   */
  @Test
  void toyImageThreeByHand() {
    double p = 1.0 / 5;
    double r = 1.0 / 6;
    double byHand = 2.44 * p * r / (r + 1.44 * p);
    double score = RougeL.imageScore("a woman eats a pizza", List.of("two men play tennis", "men playing tennis on a court"));
    assertEquals(byHand, score, 1e-15);
    assertEquals(0.1788856304985337, score, 1e-16);
  }

  @Test
  void precisionAndRecallMaximaMayComeFromDifferentReferences() {
    // quirk R1: P = 1 from the long reference, R = 1 from "a": a perfect score that no single
    // reference supports.
    assertEquals(1.0, RougeL.imageScore("a b c d", List.of("a b c d x x x x x x x x", "a")), 1e-15);
  }

  @Test
  void splitsOnSingleSpacesOnly() {
    // "" is one empty word, which matches an empty reference: P = R = 1
    assertEquals(1.0, RougeL.imageScore("", List.of("")), 1e-15);
    assertEquals(0.0, RougeL.imageScore("", List.of("a dog")));
    // quirk T5: "<b\u00a0a>" is one word for ROUGE-L, so it does not match "<b"
    assertEquals(0.0, RougeL.imageScore("<b\u00a0a>", List.of("<b a>")));
  }

  @Test
  void longestCommonSubsequence() {
    assertEquals(3, RougeL.longestCommonSubsequence(List.of("a", "b", "c", "d"), List.of("b", "x", "c", "d")));
    assertEquals(0, RougeL.longestCommonSubsequence(List.of(), List.of("a")));
  }

  @Test
  void corpusIsTheMeanOfImages() {
    MetricScores scores = new RougeL().score(List.of("a", "b"), List.of(List.of("a"), List.of("c")));
    assertEquals(0.5, scores.corpus(RougeL.NAME));
    assertEquals(1.0, scores.perImage(RougeL.NAME, 0));
  }
}
