package io.lakelens.eval.captions;

import java.util.Arrays;

/**
 * BLEU statistics summed over a corpus (what the reference's {@code Bleu.compute_score} prints);
 * corpus BLEU is computed from these, not averaged from per-image scores.
 *
 * @param testLength Σ candidate lengths
 * @param referenceLength Σ closest reference lengths
 * @param guess Σ guess per order
 * @param correct Σ correct per order
 */
public record BleuCorpusStats(long testLength, long referenceLength, long[] guess, long[] correct) {

  public BleuCorpusStats {
    guess = guess.clone();
    correct = correct.clone();
  }

  /** {@code (testLength + 1e-15) / (referenceLength + 1e-9)}, the reference's brevity ratio. */
  public double ratio() {
    return Bleu.ratio(testLength, referenceLength);
  }

  @Override
  public long[] guess() {
    return guess.clone();
  }

  @Override
  public long[] correct() {
    return correct.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BleuCorpusStats s && testLength == s.testLength
        && referenceLength == s.referenceLength && Arrays.equals(guess, s.guess)
        && Arrays.equals(correct, s.correct);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(31 * testLength + referenceLength) * 31 + Arrays.hashCode(guess) * 7
        + Arrays.hashCode(correct);
  }

  @Override
  public String toString() {
    return "BleuCorpusStats[testLength=" + testLength + ", referenceLength=" + referenceLength
        + ", guess=" + Arrays.toString(guess) + ", correct=" + Arrays.toString(correct)
        + ", ratio=" + ratio() + "]";
  }
}
