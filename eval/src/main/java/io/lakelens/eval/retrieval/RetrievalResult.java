package io.lakelens.eval.retrieval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Recall@K both ways, with the hit counts behind each value.
 *
 * @param textToImageHits per K, texts whose own image is among their top-K images
 * @param imageToTextHits per K, images with at least one of their texts among their top-K texts
 * @param numTexts texts (queries of text→image)
 * @param numImages images (queries of image→text), including images without any text
 */
public record RetrievalResult(
    Map<Integer, Long> textToImageHits, Map<Integer, Long> imageToTextHits, int numTexts, int numImages) {

  public RetrievalResult {
    textToImageHits = Collections.unmodifiableMap(new TreeMap<>(textToImageHits));
    imageToTextHits = Collections.unmodifiableMap(new TreeMap<>(imageToTextHits));
  }

  /** Text→image recall@K (CLIP_benchmark's {@code image_retrieval_recall@K}). */
  public double textToImageRecall(int k) {
    return hits(textToImageHits, k) / (double) numTexts;
  }

  /** Image→text recall@K (CLIP_benchmark's {@code text_retrieval_recall@K}). */
  public double imageToTextRecall(int k) {
    return hits(imageToTextHits, k) / (double) numImages;
  }

  /**
   * The values under CLIP_benchmark's metric names, K ascending. CLIP_benchmark takes the mean in
   * float32, so its numbers can differ from these exact ratios in about the 8th digit.
   */
  public Map<String, Double> clipBenchmarkMetrics() {
    Map<String, Double> metrics = new LinkedHashMap<>();
    for (int k : textToImageHits.keySet()) {
      metrics.put("image_retrieval_recall@" + k, textToImageRecall(k));
      metrics.put("text_retrieval_recall@" + k, imageToTextRecall(k));
    }
    return metrics;
  }

  private static long hits(Map<Integer, Long> hits, int k) {
    Long value = hits.get(k);
    if (value == null) {
      throw new IllegalArgumentException("recall@" + k + " was not computed; have " + hits.keySet());
    }
    return value;
  }
}
