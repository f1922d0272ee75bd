package io.lakelens.eval.captions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * CIDEr-D as pycocoevalcap's {@code Cider()} computes it (n = 4, σ = 6).
 *
 * <ul>
 *   <li>Words are {@code str.split()}; n-grams of orders 1..4 with raw counts as term frequency.</li>
 *   <li>Document frequency {@code df(g)} is the number of images of <em>this corpus</em> with at
 *       least one reference containing g; candidates never contribute; {@code N} is the number of
 *       images. The weight of g is {@code tf(g)·(ln N − ln max(1, df(g)))}. So scores depend on the
 *       whole corpus (C3), and a corpus of one image scores 0 everywhere (C2).</li>
 *   <li>Per reference r and order n:
 *       {@code val_n = Σ_{g∈h} min(w_h(g), w_r(g))·w_r(g)}, divided by {@code ‖w_h‖·‖w_r‖} when both
 *       are non-zero, times {@code e^(−δ²/(2σ²))}, where δ is the difference of the
 *       <em>bigram</em> counts, {@code max(0, words−1)}, not of the word counts (quirk C1; for
 *       two non-empty sentences both differences are equal, and an empty side scores 0 anyway,
 *       so C1 never changes a value).</li>
 *   <li>Image score = {@code 10 · mean_n(Σ_r val_n) / |R|}; corpus = NumPy mean of image scores.</li>
 * </ul>
 *
 * <p>n is fixed at 4: the reference counts 4-grams whatever n it is given and fails for n &lt; 4
 * (C4). Sums follow the reference's first-occurrence order and the Gaussian factor is
 * {@code Math.pow(Math.E, x)} like its {@code np.e ** x}, to stay bit-close.
 */
public final class CiderD implements CaptionMetric {

  public static final int MAX_ORDER = 4;
  public static final double SIGMA = 6.0;
  public static final String NAME = "CIDEr";

  @Override
  public List<String> scoreNames() {
    return List.of(NAME);
  }

  /**
   * @throws IllegalArgumentException also when every reference of the corpus is empty after
   *     tokenization: the reference then fails on {@code max()} of an empty document-frequency map
   */
  @Override
  public MetricScores score(List<String> candidates, List<List<String>> references) {
    CaptionMetric.checkCorpus(candidates, references);
    Map<String, Integer> documentFrequency = new HashMap<>();
    for (List<String> refs : references) {
      documentNGrams(refs).forEach(gram -> documentFrequency.merge(gram, 1, Integer::sum));
    }
    if (documentFrequency.isEmpty()) {
      throw new IllegalArgumentException(
          "CIDEr-D: every reference is empty after tokenization, so there is no document frequency");
    }
    double[] perImage = new double[candidates.size()];
    for (int i = 0; i < perImage.length; i++) {
      perImage[i] = imageScore(candidates.get(i), references.get(i),
          gram -> documentFrequency.getOrDefault(gram, 0), candidates.size());
    }
    return new MetricScores(Map.of(NAME, NumpyMean.mean(perImage)), Map.of(NAME, perImage));
  }

  /**
   * The distinct n-grams (orders 1..4, words joined by one space) of one image's tokenized
   * references: each adds 1 to its document frequency. A distributed job sums these sets over the
   * images of the corpus to get {@code df}.
   */
  public static Set<String> documentNGrams(List<String> tokenizedReferences) {
    Set<String> grams = new HashSet<>();
    for (String ref : tokenizedReferences) {
      NGrams.count(PythonStrings.split(ref), MAX_ORDER).forEach(order -> grams.addAll(order.keySet()));
    }
    return grams;
  }

  /**
   * The distinct n-grams whose document frequency {@link #imageScore} looks up: those of the
   * candidate and of the references.
   */
  public static Set<String> scoredNGrams(String tokenizedCandidate, List<String> tokenizedReferences) {
    Set<String> grams = documentNGrams(tokenizedReferences);
    NGrams.count(PythonStrings.split(tokenizedCandidate), MAX_ORDER).forEach(order -> grams.addAll(order.keySet()));
    return grams;
  }

  /**
   * CIDEr-D of one image, given the corpus it belongs to through its document frequencies and
   * size: {@link #score} computes every image this way, so a distributed job that supplies the
   * same {@code df} and {@code numImages} gets the same value bit for bit.
   *
   * @param documentFrequency df of an n-gram; 0 for one no reference of the corpus contains
   * @param numImages N, the number of images of the corpus (1 gives 0.0 everywhere, quirk C2)
   */
  public static double imageScore(String tokenizedCandidate, List<String> tokenizedReferences,
      ToIntFunction<String> documentFrequency, long numImages) {
    if (tokenizedReferences.isEmpty()) {
      throw new IllegalArgumentException("CIDEr-D needs at least one reference");
    }
    double logImages = Math.log((double) numImages);
    Vector candidate = new Vector(NGrams.count(PythonStrings.split(tokenizedCandidate), MAX_ORDER),
        documentFrequency, logImages);
    double[] sumOverReferences = new double[MAX_ORDER];
    for (String ref : tokenizedReferences) {
      Vector reference = new Vector(NGrams.count(PythonStrings.split(ref), MAX_ORDER), documentFrequency, logImages);
      double[] similarity = similarity(candidate, reference);
      for (int n = 0; n < MAX_ORDER; n++) {
        sumOverReferences[n] += similarity[n];
      }
    }
    double score = NumpyMean.mean(sumOverReferences);
    score /= tokenizedReferences.size();
    score *= 10.0;
    return score;
  }

  /** The reference's {@code sim()}: clipped, normalised, length-penalised overlap per order. */
  private static double[] similarity(Vector hypothesis, Vector reference) {
    double delta = hypothesis.length - reference.length;
    double[] values = new double[MAX_ORDER];
    for (int n = 0; n < MAX_ORDER; n++) {
      double value = 0.0;
      Map<String, Double> referenceWeights = reference.weights.get(n);
      for (Map.Entry<String, Double> e : hypothesis.weights.get(n).entrySet()) {
        double referenceWeight = referenceWeights.getOrDefault(e.getKey(), 0.0);
        value += Math.min(e.getValue(), referenceWeight) * referenceWeight;
      }
      if (hypothesis.norms[n] != 0 && reference.norms[n] != 0) {
        value /= hypothesis.norms[n] * reference.norms[n];
      }
      value *= Math.pow(Math.E, -(delta * delta) / (2 * SIGMA * SIGMA));
      values[n] = value;
    }
    return values;
  }

  /** The reference's {@code counts2vec}: tf-idf weights, their norms and the bigram count. */
  private static final class Vector {
    final List<Map<String, Double>> weights = new ArrayList<>(MAX_ORDER);
    final double[] norms = new double[MAX_ORDER];
    /** Σ of bigram term frequencies, the "length" the reference penalises (quirk C1). */
    final int length;

    Vector(List<Map<String, Integer>> counts, ToIntFunction<String> documentFrequency, double logImages) {
      int bigrams = 0;
      for (int n = 0; n < MAX_ORDER; n++) {
        Map<String, Double> orderWeights = new LinkedHashMap<>();
        double squaredNorm = 0.0;
        for (Map.Entry<String, Integer> e : counts.get(n).entrySet()) {
          double df = Math.log(Math.max(1.0, documentFrequency.applyAsInt(e.getKey())));
          double weight = (double) e.getValue() * (logImages - df);
          orderWeights.put(e.getKey(), weight);
          squaredNorm += weight * weight;
          if (n == 1) {
            bigrams += e.getValue();
          }
        }
        weights.add(orderWeights);
        norms[n] = Math.sqrt(squaredNorm);
      }
      this.length = bigrams;
    }
  }
}
