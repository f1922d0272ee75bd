package io.lakelens.eval.captions;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one {@link CaptionMetric} computed: a corpus value per score name, and per score name an
 * array of per-image values in the order of the metric's input.
 */
public record MetricScores(Map<String, Double> corpus, Map<String, double[]> perImage) {

  public MetricScores {
    corpus = Collections.unmodifiableMap(new LinkedHashMap<>(corpus));
    Map<String, double[]> copy = new LinkedHashMap<>();
    perImage.forEach((name, values) -> copy.put(name, values.clone()));
    perImage = Collections.unmodifiableMap(copy);
  }

  /** The corpus value of one score, e.g. {@code corpus("CIDEr")}. */
  public double corpus(String scoreName) {
    Double value = corpus.get(scoreName);
    if (value == null) {
      throw new IllegalArgumentException("no score named " + scoreName + "; have " + corpus.keySet());
    }
    return value;
  }

  /** The value of one score for the image at {@code imageIndex} of the metric's input. */
  public double perImage(String scoreName, int imageIndex) {
    double[] values = perImage.get(scoreName);
    if (values == null) {
      throw new IllegalArgumentException("no score named " + scoreName + "; have " + perImage.keySet());
    }
    return values[imageIndex];
  }
}
