package io.lakelens.eval.captions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BLEU-1..n as pycocoevalcap's {@code Bleu(n)} computes it (BleuScorer, option "closest").
 *
 * <p>For each image, words are {@code str.split()} (so U+00A0 separates, quirk T5, and an empty
 * candidate has 0 words). {@code p_k = (correct_k + 1e-15) / (guess_k + 1e-9)}, BLEU-n is
 * {@code (p_1·…·p_n)^(1/n)}, times {@code exp(1 - 1/ratio)} when
 * {@code ratio = (testLength + 1e-15) / (referenceLength + 1e-9) < 1}. The corpus value applies the
 * same formula to the statistics summed over images.
 *
 * <p>Consequences of those constants, reproduced on purpose: per-image BLEU is never exactly 0
 * unless the brevity penalty underflows (B1; an empty candidate gives exactly 0.0); a candidate
 * shorter than k words has {@code p_k = 1e-6}, so BLEU-n can grow with n (B2); {@code ratio < 1}
 * even when the lengths are equal, so a perfect candidate scores 0.9999999998… rather than 1 (B3).
 */
public final class Bleu implements CaptionMetric {

  /** Added to the numerators: "so that if guess is 0 still return 0" in the reference. */
  static final double TINY = 1e-15;
  /** Added to the denominators to avoid dividing by zero. */
  static final double SMALL = 1e-9;

  private final int maxOrder;
  private final List<String> scoreNames;

  /** BLEU-1..4, as COCOEvalCap uses. */
  public Bleu() {
    this(4);
  }

  public Bleu(int maxOrder) {
    if (maxOrder < 1) {
      throw new IllegalArgumentException("BLEU order must be at least 1, got " + maxOrder);
    }
    this.maxOrder = maxOrder;
    List<String> names = new ArrayList<>();
    for (int k = 1; k <= maxOrder; k++) {
      names.add("Bleu_" + k);
    }
    this.scoreNames = Collections.unmodifiableList(names);
  }

  public int maxOrder() {
    return maxOrder;
  }

  @Override
  public List<String> scoreNames() {
    return scoreNames;
  }

  /** The statistics of one image: a tokenized candidate against its tokenized references. */
  public BleuStats stats(String candidate, List<String> references) {
    if (references.isEmpty()) {
      throw new IllegalArgumentException("BLEU needs at least one reference");
    }
    int[] referenceLengths = new int[references.size()];
    Map<String, Integer> maxReferenceCounts = new LinkedHashMap<>();
    for (int r = 0; r < references.size(); r++) {
      List<String> words = PythonStrings.split(references.get(r));
      referenceLengths[r] = words.size();
      for (Map<String, Integer> counts : NGrams.count(words, maxOrder)) {
        counts.forEach((gram, count) -> maxReferenceCounts.merge(gram, count, Math::max));
      }
    }
    List<String> words = PythonStrings.split(candidate);
    int testLength = words.size();
    int[] guess = new int[maxOrder];
    int[] correct = new int[maxOrder];
    List<Map<String, Integer>> counts = NGrams.count(words, maxOrder);
    for (int k = 0; k < maxOrder; k++) {
      guess[k] = Math.max(0, testLength - k);
      for (Map.Entry<String, Integer> e : counts.get(k).entrySet()) {
        correct[k] += Math.min(maxReferenceCounts.getOrDefault(e.getKey(), 0), e.getValue());
      }
    }
    return new BleuStats(testLength, closest(referenceLengths, testLength), referenceLengths, guess, correct);
  }

  /** BLEU-1..n of one image, from its statistics. */
  public double[] imageScores(BleuStats stats) {
    return scores(stats.testLength(), stats.closestReferenceLength(), toLong(stats.guess()), toLong(stats.correct()));
  }

  /** The per-image statistics summed over the corpus. */
  public BleuCorpusStats corpusStats(List<BleuStats> perImage) {
    long testLength = 0;
    long referenceLength = 0;
    long[] guess = new long[maxOrder];
    long[] correct = new long[maxOrder];
    for (BleuStats s : perImage) {
      testLength += s.testLength();
      referenceLength += s.closestReferenceLength();
      int[] g = s.guess();
      int[] c = s.correct();
      for (int k = 0; k < maxOrder; k++) {
        guess[k] += g[k];
        correct[k] += c[k];
      }
    }
    return new BleuCorpusStats(testLength, referenceLength, guess, correct);
  }

  /** Corpus BLEU-1..n from summed statistics. */
  public double[] corpusScores(BleuCorpusStats stats) {
    return scores(stats.testLength(), stats.referenceLength(), stats.guess(), stats.correct());
  }

  @Override
  public MetricScores score(List<String> candidates, List<List<String>> references) {
    CaptionMetric.checkCorpus(candidates, references);
    List<BleuStats> stats = new ArrayList<>(candidates.size());
    double[][] perImage = new double[maxOrder][candidates.size()];
    for (int i = 0; i < candidates.size(); i++) {
      BleuStats s = stats(candidates.get(i), references.get(i));
      stats.add(s);
      double[] scores = imageScores(s);
      for (int k = 0; k < maxOrder; k++) {
        perImage[k][i] = scores[k];
      }
    }
    double[] corpus = corpusScores(corpusStats(stats));
    Map<String, Double> corpusByName = new LinkedHashMap<>();
    Map<String, double[]> perImageByName = new LinkedHashMap<>();
    for (int k = 0; k < maxOrder; k++) {
      corpusByName.put(scoreNames.get(k), corpus[k]);
      perImageByName.put(scoreNames.get(k), perImage[k]);
    }
    return new MetricScores(corpusByName, perImageByName);
  }

  /** The reference's BLEU formula, shared by images and corpus (same operation order). */
  static double[] scores(long testLength, long referenceLength, long[] guess, long[] correct) {
    double[] bleus = new double[guess.length];
    double product = 1.0;
    for (int k = 0; k < guess.length; k++) {
      product *= (correct[k] + TINY) / (guess[k] + SMALL);
      bleus[k] = Math.pow(product, 1.0 / (k + 1));
    }
    double ratio = ratio(testLength, referenceLength);
    if (ratio < 1) {
      double brevityPenalty = Math.exp(1 - 1 / ratio);
      for (int k = 0; k < bleus.length; k++) {
        bleus[k] *= brevityPenalty;
      }
    }
    return bleus;
  }

  static double ratio(long testLength, long referenceLength) {
    return (testLength + TINY) / (referenceLength + SMALL);
  }

  /** {@code min((abs(l - testlen), l) for l in reflens)[1]}: closest length, ties to the shorter. */
  static int closest(int[] referenceLengths, int testLength) {
    int best = referenceLengths[0];
    for (int length : referenceLengths) {
      int distance = Math.abs(length - testLength);
      int bestDistance = Math.abs(best - testLength);
      if (distance < bestDistance || (distance == bestDistance && length < best)) {
        best = length;
      }
    }
    return best;
  }

  private static long[] toLong(int[] values) {
    long[] longs = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      longs[i] = values[i];
    }
    return longs;
  }
}
