package io.lakelens.eval.captions;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The COCO caption evaluation ({@code COCOEvalCap.evaluate()} of pycocoevalcap): tokenize all
 * references in one PTB tokenizer run and all candidates in a second run, then score the tokenized
 * corpus with each metric. With the default metrics it reports Bleu_1..Bleu_4, ROUGE_L and CIDEr,
 * matching the reference to ~1e-15 (see the golden cases under
 * {@code src/test/resources/golden/captions}).
 *
 * <p><b>Not implemented: METEOR and SPICE.</b> METEOR needs the modified {@code meteor-1.5.jar}
 * and its paraphrase table {@code paraphrase-en.gz}, which could not be obtained (large binaries
 * outside every reachable registry); its corpus value is also Meteor's own aggregate over summed
 * statistics, not a mean, so it cannot be approximated from per-image scores. SPICE 1.0 needs
 * Stanford CoreNLP 3.6.0 with the SceneGraphParser and models (this module is pinned to CoreNLP
 * 3.4.1 for the tokenizer), and is itself not deterministic across JVM runs. Both can be added
 * later as {@link CaptionMetric}s without touching this class.
 *
 * <p><b>Input rules.</b> Where the reference fails with an {@code AssertionError} (an image with
 * an empty reference list) or would silently mis-score, this class rejects the input with an
 * {@link IllegalArgumentException} naming the image id: no images; an id repeated in the order;
 * an image without references or without a candidate; a candidate for an image that is not in the
 * order; a null caption. References of images outside the order are ignored, as COCOEvalCap only
 * evaluates the images of the results. The order matters: it is the tokenizer's line order
 * (quirk T2) and the order of the per-image results.
 *
 * <p>Thread-safe if its metrics are (the built-in ones are stateless).
 */
public final class CaptionEvaluator {

  private final PtbTokenizer tokenizer;
  private final List<CaptionMetric> metrics;

  /** The reference setup: quirk-compatible tokenizer; BLEU-1..4, ROUGE-L, CIDEr-D. */
  public CaptionEvaluator() {
    this(new PtbTokenizer(), cocoMetrics());
  }

  public CaptionEvaluator(PtbTokenizer tokenizer, List<CaptionMetric> metrics) {
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    this.metrics = List.copyOf(metrics);
    Set<String> names = new HashSet<>();
    for (CaptionMetric metric : this.metrics) {
      for (String name : metric.scoreNames()) {
        if (!names.add(name)) {
          throw new IllegalArgumentException("two metrics report a score named " + name);
        }
      }
    }
  }

  /** BLEU-1..4, ROUGE-L and CIDEr-D, in COCOEvalCap's order. */
  public static List<CaptionMetric> cocoMetrics() {
    return List.of(new Bleu(4), new RougeL(), new CiderD());
  }

  public List<CaptionMetric> metrics() {
    return metrics;
  }

  /**
   * Tokenizes and scores raw captions.
   *
   * @param imageOrder the images to evaluate, each once
   * @param references raw references per image (may hold other images, which are ignored)
   * @param candidates one raw candidate per image of {@code imageOrder}, and no others
   */
  public <K> CaptionEvaluation<K> evaluate(
      List<K> imageOrder, Map<K, List<String>> references, Map<K, String> candidates) {
    checkInput(imageOrder, references, candidates);
    Map<K, List<String>> candidateLists = new LinkedHashMap<>();
    for (K id : imageOrder) {
      candidateLists.put(id, List.of(candidates.get(id)));
    }
    Map<K, List<String>> tokenizedReferences = tokenizer.tokenize(imageOrder, references);
    Map<K, List<String>> tokenizedCandidateLists = tokenizer.tokenize(imageOrder, candidateLists);
    Map<K, String> tokenizedCandidates = new LinkedHashMap<>();
    for (K id : imageOrder) {
      if (!tokenizedReferences.containsKey(id) || !tokenizedCandidateLists.containsKey(id)) {
        throw new IllegalArgumentException("image " + id + " got no tokenized "
            + (tokenizedReferences.containsKey(id) ? "candidate" : "references")
            + ": the PTB tokenizer's output lines did not line up with the captions");
      }
      tokenizedCandidates.put(id, tokenizedCandidateLists.get(id).get(0));
    }
    return score(imageOrder, tokenizedReferences, tokenizedCandidates);
  }

  /**
   * Scores captions that are already tokenized (e.g. by an earlier {@link PtbTokenizer} run), so
   * metrics can be checked independently of the tokenizer. Same input rules as {@link #evaluate}.
   */
  public <K> CaptionEvaluation<K> evaluateTokenized(
      List<K> imageOrder, Map<K, List<String>> tokenizedReferences, Map<K, String> tokenizedCandidates) {
    checkInput(imageOrder, tokenizedReferences, tokenizedCandidates);
    Map<K, String> candidates = new LinkedHashMap<>();
    imageOrder.forEach(id -> candidates.put(id, tokenizedCandidates.get(id)));
    return score(imageOrder, tokenizedReferences, candidates);
  }

  private <K> CaptionEvaluation<K> score(
      List<K> imageOrder, Map<K, List<String>> references, Map<K, String> candidates) {
    List<String> candidateList = new ArrayList<>(imageOrder.size());
    List<List<String>> referenceLists = new ArrayList<>(imageOrder.size());
    Map<K, List<String>> usedReferences = new LinkedHashMap<>();
    for (K id : imageOrder) {
      candidateList.add(candidates.get(id));
      referenceLists.add(references.get(id));
      usedReferences.put(id, List.copyOf(references.get(id)));
    }
    Map<String, Double> corpus = new LinkedHashMap<>();
    Map<K, Map<String, Double>> perImage = new LinkedHashMap<>();
    imageOrder.forEach(id -> perImage.put(id, new LinkedHashMap<>()));
    for (CaptionMetric metric : metrics) {
      MetricScores scores = metric.score(candidateList, referenceLists);
      for (String name : metric.scoreNames()) {
        corpus.put(name, scores.corpus(name));
        for (int i = 0; i < imageOrder.size(); i++) {
          perImage.get(imageOrder.get(i)).put(name, scores.perImage(name, i));
        }
      }
    }
    return new CaptionEvaluation<>(imageOrder, usedReferences, candidates, corpus, perImage);
  }

  private static <K> void checkInput(
      List<K> imageOrder, Map<K, List<String>> references, Map<K, String> candidates) {
    if (imageOrder.isEmpty()) {
      throw new IllegalArgumentException("no images to evaluate");
    }
    Set<K> seen = new HashSet<>();
    for (K id : imageOrder) {
      if (!seen.add(id)) {
        throw new IllegalArgumentException("image " + id + " appears more than once");
      }
      List<String> refs = references.get(id);
      if (refs == null || refs.isEmpty()) {
        throw new IllegalArgumentException("image " + id + " has no references"
            + " (the reference toolkit fails its gts/res key check on an empty reference list)");
      }
      if (refs.stream().anyMatch(r -> r == null)) {
        throw new IllegalArgumentException("image " + id + " has a null reference");
      }
      if (!candidates.containsKey(id)) {
        throw new IllegalArgumentException("image " + id + " has no candidate");
      }
      if (candidates.get(id) == null) {
        throw new IllegalArgumentException("image " + id + " has a null candidate");
      }
    }
    for (K id : candidates.keySet()) {
      if (!seen.contains(id)) {
        List<String> refs = references.get(id);
        throw new IllegalArgumentException(refs == null || refs.isEmpty()
            ? "candidate for image " + id + ", which has no references"
            : "candidate for image " + id + ", which is not in the image order");
      }
    }
  }
}
