package io.lakelens.eval.captions;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of {@link CaptionEvaluator}: the tokenized strings the metrics saw, the corpus scores
 * (e.g. Bleu_1..Bleu_4, ROUGE_L, CIDEr, in metric order) and the same scores per image, in image
 * order. All maps are unmodifiable and iterate in that order.
 */
public record CaptionEvaluation<K>(
    List<K> imageOrder,
    Map<K, List<String>> tokenizedReferences,
    Map<K, String> tokenizedCandidates,
    Map<String, Double> corpus,
    Map<K, Map<String, Double>> perImage) {

  public CaptionEvaluation {
    imageOrder = List.copyOf(imageOrder);
    tokenizedReferences = Collections.unmodifiableMap(new LinkedHashMap<>(tokenizedReferences));
    tokenizedCandidates = Collections.unmodifiableMap(new LinkedHashMap<>(tokenizedCandidates));
    corpus = Collections.unmodifiableMap(new LinkedHashMap<>(corpus));
    Map<K, Map<String, Double>> copy = new LinkedHashMap<>();
    perImage.forEach((id, scores) -> copy.put(id, Collections.unmodifiableMap(new LinkedHashMap<>(scores))));
    perImage = Collections.unmodifiableMap(copy);
  }

  /** The names of the scores, in report order. */
  public List<String> scoreNames() {
    return List.copyOf(corpus.keySet());
  }
}
