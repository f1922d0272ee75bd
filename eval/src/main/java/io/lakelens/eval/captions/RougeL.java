package io.lakelens.eval.captions;

import java.util.List;
import java.util.Map;

/**
 * ROUGE-L as pycocoevalcap's {@code Rouge()} computes it (β = 1.2).
 *
 * <p>Words are {@code s.split(" ")}: only U+0020 separates, so {@code ""} is one empty word and a
 * no-break space stays inside a word (quirk T5). For each reference r, {@code LCS(r, c)} gives
 * {@code P_r = LCS/len(c)} and {@code R_r = LCS/len(r)}; the image score is
 * {@code (1+β²)·P·R / (R + β²·P)} with {@code P = max_r P_r} and {@code R = max_r R_r} taken
 * independently, so they may come from different references (quirk R1), or 0.0 if either is 0.
 * The corpus value is the NumPy mean of the image scores.
 */
public final class RougeL implements CaptionMetric {

  public static final double BETA = 1.2;
  public static final String NAME = "ROUGE_L";

  @Override
  public List<String> scoreNames() {
    return List.of(NAME);
  }

  /** ROUGE-L of one tokenized candidate against its tokenized references. */
  public static double imageScore(String candidate, List<String> references) {
    if (references.isEmpty()) {
      throw new IllegalArgumentException("ROUGE-L needs at least one reference");
    }
    List<String> candidateWords = PythonStrings.splitOnSpace(candidate);
    double maxPrecision = Double.NEGATIVE_INFINITY;
    double maxRecall = Double.NEGATIVE_INFINITY;
    for (String reference : references) {
      List<String> referenceWords = PythonStrings.splitOnSpace(reference);
      int lcs = longestCommonSubsequence(referenceWords, candidateWords);
      maxPrecision = Math.max(maxPrecision, lcs / (double) candidateWords.size());
      maxRecall = Math.max(maxRecall, lcs / (double) referenceWords.size());
    }
    if (maxPrecision == 0 || maxRecall == 0) {
      return 0.0;
    }
    double betaSquared = BETA * BETA;
    return ((1 + betaSquared) * maxPrecision * maxRecall) / (maxRecall + betaSquared * maxPrecision);
  }

  @Override
  public MetricScores score(List<String> candidates, List<List<String>> references) {
    CaptionMetric.checkCorpus(candidates, references);
    double[] perImage = new double[candidates.size()];
    for (int i = 0; i < perImage.length; i++) {
      perImage[i] = imageScore(candidates.get(i), references.get(i));
    }
    return new MetricScores(Map.of(NAME, NumpyMean.mean(perImage)), Map.of(NAME, perImage));
  }

  /** Length of the longest common subsequence of two word lists (exact word equality). */
  static int longestCommonSubsequence(List<String> a, List<String> b) {
    int[] previous = new int[b.size() + 1];
    int[] current = new int[b.size() + 1];
    for (int i = 1; i <= a.size(); i++) {
      String word = a.get(i - 1);
      for (int j = 1; j <= b.size(); j++) {
        current[j] = word.equals(b.get(j - 1))
            ? previous[j - 1] + 1
            : Math.max(previous[j], current[j - 1]);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.size()];
  }
}
