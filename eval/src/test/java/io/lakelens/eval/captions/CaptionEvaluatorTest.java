package io.lakelens.eval.captions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CaptionEvaluatorTest {

  private final CaptionEvaluator evaluator = new CaptionEvaluator();

  private static Map<String, List<String>> references() {
    Map<String, List<String>> refs = new LinkedHashMap<>();
    refs.put("a", List.of("A dog runs.", "A brown dog."));
    refs.put("b", List.of("Two cats sleep."));
    refs.put("unused", List.of("Ignored: not in the order."));
    return refs;
  }

  @Test
  void reportsCocoScoresInOrder() {
    CaptionEvaluation<String> result = evaluator.evaluate(List.of("b", "a"), references(),
        Map.of("a", "A DOG RUNS!!!", "b", "two cats sleep"));
    assertEquals(List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L", "CIDEr"), result.scoreNames());
    assertEquals(List.of("b", "a"), List.copyOf(result.perImage().keySet()));
    assertEquals("a dog runs !!!", result.tokenizedCandidates().get("a"));
    assertEquals(List.of("a dog runs", "a brown dog"), result.tokenizedReferences().get("a"));
    assertEquals(List.of("b", "a"), List.copyOf(result.tokenizedReferences().keySet()));
  }

  @Test
  void rejectsAnImageWithoutReferences() {
    Map<String, List<String>> refs = references();
    refs.put("c", List.of());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> evaluator.evaluate(List.of("a", "c"), refs, Map.of("a", "x", "c", "y")));
    assertEquals("image c has no references (the reference toolkit fails its gts/res key check on an"
        + " empty reference list)", e.getMessage());
  }

  @Test
  void rejectsACandidateWithoutReferences() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> evaluator.evaluate(List.of("a"), references(), Map.of("a", "x", "zzz", "y")));
    assertEquals("candidate for image zzz, which has no references", e.getMessage());
  }

  @Test
  void rejectsDuplicateIds() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> evaluator.evaluate(List.of("a", "b", "a"), references(), Map.of("a", "x", "b", "y")));
    assertEquals("image a appears more than once", e.getMessage());
  }

  @Test
  void rejectsAMissingCandidateAndAnEmptyCorpus() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> evaluator.evaluate(List.of("a", "b"), references(), Map.of("a", "x")));
    assertEquals("image b has no candidate", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> evaluator.evaluate(List.of(), references(), Map.of()));
  }

  @Test
  void rejectsMetricsWithClashingScoreNames() {
    assertThrows(IllegalArgumentException.class,
        () -> new CaptionEvaluator(new PtbTokenizer(), List.of(new RougeL(), new RougeL())));
  }
}
