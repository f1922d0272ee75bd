package io.lakelens.eval.captions;

import java.util.Arrays;

/**
 * The sufficient statistics BLEU keeps for one image (the reference's {@code cook_test} result).
 *
 * @param testLength number of candidate words ({@code str.split()})
 * @param closestReferenceLength the reference length closest to {@code testLength}, ties going to
 *     the shorter reference (option "closest")
 * @param referenceLengths the length of every reference, in input order
 * @param guess per order k = 1..n: {@code max(0, testLength - k + 1)}
 * @param correct per order k: clipped k-gram matches, {@code Σ min(count_cand, max_ref count_ref)}
 */
public record BleuStats(
    int testLength, int closestReferenceLength, int[] referenceLengths, int[] guess, int[] correct) {

  public BleuStats {
    referenceLengths = referenceLengths.clone();
    guess = guess.clone();
    correct = correct.clone();
  }

  @Override
  public int[] referenceLengths() {
    return referenceLengths.clone();
  }

  @Override
  public int[] guess() {
    return guess.clone();
  }

  @Override
  public int[] correct() {
    return correct.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BleuStats s && testLength == s.testLength
        && closestReferenceLength == s.closestReferenceLength
        && Arrays.equals(referenceLengths, s.referenceLengths) && Arrays.equals(guess, s.guess)
        && Arrays.equals(correct, s.correct);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * testLength + closestReferenceLength) + Arrays.hashCode(guess))
        + Arrays.hashCode(correct);
  }

  @Override
  public String toString() {
    return "BleuStats[testLength=" + testLength + ", closestReferenceLength=" + closestReferenceLength
        + ", referenceLengths=" + Arrays.toString(referenceLengths) + ", guess=" + Arrays.toString(guess)
        + ", correct=" + Arrays.toString(correct) + "]";
  }
}
