package io.lakelens.eval.clipscore;

import java.util.Arrays;

/**
 * CLIP-S and, when references were given, RefCLIP-S per image (input order) and their means.
 */
public final class ClipScores {

  private final double[] clipScores;
  private final double[] refClipScores;

  ClipScores(double[] clipScores, double[] refClipScores) {
    this.clipScores = clipScores.clone();
    this.refClipScores = refClipScores == null ? null : refClipScores.clone();
  }

  public double[] perImageClipScore() {
    return clipScores.clone();
  }

  /** @throws IllegalStateException if no references were given */
  public double[] perImageRefClipScore() {
    return requireReferences().clone();
  }

  public boolean hasReferences() {
    return refClipScores != null;
  }

  /** Mean CLIP-S; NaN for an empty corpus. */
  public double clipScore() {
    return Arrays.stream(clipScores).average().orElse(Double.NaN);
  }

  /** Mean RefCLIP-S; NaN for an empty corpus. */
  public double refClipScore() {
    return Arrays.stream(requireReferences()).average().orElse(Double.NaN);
  }

  private double[] requireReferences() {
    if (refClipScores == null) {
      throw new IllegalStateException("RefCLIPScore needs references; none were given");
    }
    return refClipScores;
  }
}
