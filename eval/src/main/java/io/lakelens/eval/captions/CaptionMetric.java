package io.lakelens.eval.captions;

import java.util.List;

/**
 * A caption metric over an already tokenized corpus: one candidate and one or more references per
 * image, aligned by position. Implementations are pure functions of their input; a metric may use
 * the whole corpus (CIDEr-D takes its document frequencies from it), so scoring a subset gives
 * different per-image values.
 *
 * <p>Implemented: {@link Bleu}, {@link RougeL}, {@link CiderD}. METEOR and SPICE are meant to plug
 * in here later (see {@link CaptionEvaluator}).
 */
public interface CaptionMetric {

  /** The names of the scores this metric reports, in report order (e.g. Bleu_1..Bleu_4). */
  List<String> scoreNames();

  /**
   * Scores a corpus.
   *
   * @param candidates tokenized candidate of each image
   * @param references tokenized references of each image, same order, each list non-empty
   * @throws IllegalArgumentException if the sizes differ or an image has no references
   */
  MetricScores score(List<String> candidates, List<List<String>> references);

  /** The input checks every metric shares; messages name the position of the bad image. */
  static void checkCorpus(List<String> candidates, List<List<String>> references) {
    if (candidates.size() != references.size()) {
      throw new IllegalArgumentException("got " + candidates.size() + " candidates but "
          + references.size() + " reference lists");
    }
    for (int i = 0; i < references.size(); i++) {
      if (candidates.get(i) == null) {
        throw new IllegalArgumentException("image #" + i + " has a null candidate");
      }
      List<String> refs = references.get(i);
      if (refs == null || refs.isEmpty()) {
        throw new IllegalArgumentException("image #" + i + " has no references");
      }
      if (refs.stream().anyMatch(r -> r == null)) {
        throw new IllegalArgumentException("image #" + i + " has a null reference");
      }
    }
  }
}
