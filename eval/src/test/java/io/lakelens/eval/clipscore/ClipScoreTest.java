package io.lakelens.eval.clipscore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ClipScoreTest {

  private static final float[] IMAGE = {1f, 0f};
  /** A 3-4-5 triangle: cos with IMAGE is 0.6, with (0, 1) is 0.8. */
  private static final float[] CANDIDATE = {0.6f, 0.8f};

  @Test
  void clipScoreByHand() {
    // 2.5 · max(0.6, 0) = 1.5
    assertEquals(1.5, ClipScore.clipScore(IMAGE, CANDIDATE), 1e-7);
    // scale does not matter: cosine, not dot product
    assertEquals(1.5, ClipScore.clipScore(new float[] {3f, 0f}, new float[] {6f, 8f}), 1e-7);
    // a negative cosine is clipped to 0
    assertEquals(0.0, ClipScore.clipScore(IMAGE, new float[] {-1f, 0.1f}));
  }

  @Test
  void refClipScoreByHand() {
    // references (0, 1) and (1, 0): cosines 0.8 and 0.6, best 0.8 (not multiplied by w);
    // H-Mean(1.5, 0.8) = 2 · 1.5 · 0.8 / 2.3 = 2.4 / 2.3 = 1.0434782608…
    float[][] references = {{0f, 1f}, {1f, 0f}};
    assertEquals(0.8, ClipScore.referenceTerm(CANDIDATE, references), 1e-7);
    assertEquals(2.4 / 2.3, ClipScore.refClipScore(IMAGE, CANDIDATE, references), 1e-7);
  }

  @Test
  void negativeReferenceTermIsClippedAndZeroHarmonicMeanIsZero() {
    float[][] opposite = {{-0.6f, -0.8f}};
    assertEquals(0.0, ClipScore.referenceTerm(CANDIDATE, opposite));
    assertEquals(0.0, ClipScore.refClipScore(IMAGE, CANDIDATE, opposite));
    assertEquals(0.0, ClipScore.refClipScore(new float[] {-1f, 0f}, CANDIDATE, opposite));
  }

  @Test
  void corpusIsTheMeanOfImages() {
    float[][] images = {IMAGE, IMAGE};
    float[][] candidates = {CANDIDATE, {1f, 0f}};
    float[][][] references = {{{0f, 1f}}, {{1f, 0f}}};
    ClipScores scores = ClipScore.score(images, candidates, references);
    // image 1: CLIP-S 2.5, reference term 1, H-Mean = 5/3.5
    assertArrayEquals(new double[] {1.5, 2.5}, scores.perImageClipScore(), 1e-7);
    assertArrayEquals(new double[] {2.4 / 2.3, 5 / 3.5}, scores.perImageRefClipScore(), 1e-7);
    assertEquals(2.0, scores.clipScore(), 1e-7);
    assertEquals((2.4 / 2.3 + 5 / 3.5) / 2, scores.refClipScore(), 1e-7);

    ClipScores noRefs = ClipScore.score(images, candidates, null);
    assertFalse(noRefs.hasReferences());
    assertThrows(IllegalStateException.class, noRefs::refClipScore);
  }

  @Test
  void badInputIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> ClipScore.clipScore(IMAGE, new float[] {0f, 0f}));
    assertThrows(IllegalArgumentException.class, () -> ClipScore.clipScore(IMAGE, new float[] {1f}));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClipScore.score(new float[][] {IMAGE}, new float[][] {CANDIDATE}, new float[][][] {{}}));
    assertEquals("image #0: RefCLIPScore needs at least one reference", e.getMessage());
  }
}
