package io.lakelens.eval.captions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of {@code golden/captions/cases} against the values pycocoevalcap itself produced.
 * Tolerances are the README's: tokens and BLEU statistics exact, scores within
 * {@code 1e-12·max(1, |expected|)}.
 */
class GoldenCaptionCasesTest {

  private static final double RELATIVE_TOLERANCE = 1e-12;

  static Stream<GoldenCase> cases() {
    return GoldenCase.caseFiles().map(GoldenCase::load);
  }

  /** Cases the reference scored. */
  static Stream<GoldenCase> scoredCases() {
    return cases().filter(c -> c.errors().isEmpty());
  }

  /** Cases the reference failed on (listed in {@code expected.errors}). */
  static Stream<GoldenCase> failedCases() {
    return cases().filter(c -> !c.errors().isEmpty());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void tokenizerMatchesReference(GoldenCase c) {
    PtbTokenizer tokenizer = new PtbTokenizer();
    Map<Integer, List<String>> refs = tokenizer.tokenize(c.imageOrder(), c.references());
    Map<Integer, List<String>> candidateLists = tokenizer.tokenize(c.imageOrder(), asLists(c.candidates()));
    assertEquals(withoutNulls(c.expectedTokenizedReferences()), refs);
    Map<Integer, String> candidates = new LinkedHashMap<>();
    candidateLists.forEach((id, list) -> candidates.put(id, list.get(0)));
    assertEquals(withoutNulls(c.expectedTokenizedCandidates()), candidates);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scoredCases")
  void evaluatorMatchesReference(GoldenCase c) {
    CaptionEvaluation<Integer> result =
        new CaptionEvaluator().evaluate(c.imageOrder(), c.references(), c.candidates());
    assertEquals(c.expectedTokenizedReferences(), result.tokenizedReferences());
    assertEquals(c.expectedTokenizedCandidates(), result.tokenizedCandidates());
    assertScores(c, result);
  }

  /** The metrics alone: fed the reference's own tokenized strings. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("scoredCases")
  void metricsOnReferenceTokensMatchReference(GoldenCase c) {
    CaptionEvaluation<Integer> result = new CaptionEvaluator().evaluateTokenized(
        c.imageOrder(), c.expectedTokenizedReferences(), c.expectedTokenizedCandidates());
    assertScores(c, result);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scoredCases")
  void bleuStatisticsAreExact(GoldenCase c) {
    Bleu bleu = new Bleu();
    List<BleuStats> all = new ArrayList<>();
    for (Integer id : c.imageOrder()) {
      BleuStats stats = bleu.stats(
          c.expectedTokenizedCandidates().get(id), c.expectedTokenizedReferences().get(id));
      JsonNode expected = c.bleuStats().get("per_image").get(id.toString());
      BleuStats wanted = new BleuStats(expected.get("testlen").asInt(), expected.get("reflen_closest").asInt(),
          ints(expected.get("ref_lengths")), ints(expected.get("guess")), ints(expected.get("correct")));
      assertEquals(wanted, stats, "image " + id);
      all.add(stats);
    }
    BleuCorpusStats corpus = bleu.corpusStats(all);
    JsonNode expected = c.bleuStats().get("corpus");
    assertEquals(new BleuCorpusStats(expected.get("testlen").asLong(), expected.get("reflen").asLong(),
        longs(expected.get("guess")), longs(expected.get("correct"))), corpus);
    assertClose(GoldenCase.number(expected.get("ratio")), corpus.ratio(), "ratio");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failedCases")
  void inputsTheReferenceFailedOnAreRejectedNamingTheImage(GoldenCase c) {
    List<String> culprits = new ArrayList<>();
    c.expectedTokenizedReferences().forEach((id, refs) -> {
      if (refs == null) {
        culprits.add(id.toString());
      }
    });
    c.expectedTokenizedCandidates().forEach((id, cand) -> {
      if (cand == null) {
        culprits.add(id.toString());
      }
    });
    assertFalse(culprits.isEmpty(), "the golden case should say which image was not tokenized");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new CaptionEvaluator().evaluate(c.imageOrder(), c.references(), c.candidates()));
    assertTrue(culprits.stream().anyMatch(id -> e.getMessage().contains("image " + id)), e.getMessage());
  }

  private static void assertScores(GoldenCase c, CaptionEvaluation<Integer> result) {
    double worst = 0;
    for (Map.Entry<String, Double> e : c.expectedCorpus().entrySet()) {
      worst = Math.max(worst, assertClose(e.getValue(), result.corpus().get(e.getKey()), "corpus " + e.getKey()));
    }
    assertEquals(c.expectedCorpus().keySet(), result.corpus().keySet());
    for (Integer id : c.imageOrder()) {
      Map<String, Double> expected = c.expectedPerImage().get(id);
      Map<String, Double> actual = result.perImage().get(id);
      assertEquals(expected.keySet(), actual.keySet(), "image " + id);
      for (Map.Entry<String, Double> e : expected.entrySet()) {
        worst = Math.max(worst, assertClose(e.getValue(), actual.get(e.getKey()), "image " + id + " " + e.getKey()));
      }
    }
    System.out.printf("%s: worst relative deviation %.3g%n", c.caseId(), worst);
  }

  /** @return the deviation relative to max(1, |expected|) */
  private static double assertClose(double expected, double actual, String what) {
    double deviation = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
    assertTrue(deviation <= RELATIVE_TOLERANCE,
        () -> what + ": expected " + expected + " but was " + actual);
    return deviation;
  }

  private static <V> Map<Integer, V> withoutNulls(Map<Integer, V> map) {
    Map<Integer, V> copy = new LinkedHashMap<>(map);
    copy.values().removeIf(v -> v == null);
    return copy;
  }

  private static Map<Integer, List<String>> asLists(Map<Integer, String> candidates) {
    Map<Integer, List<String>> lists = new LinkedHashMap<>();
    candidates.forEach((id, c) -> lists.put(id, List.of(c)));
    return lists;
  }

  private static int[] ints(JsonNode array) {
    int[] values = new int[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asInt();
    }
    return values;
  }

  private static long[] longs(JsonNode array) {
    long[] values = new long[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asLong();
    }
    return values;
  }
}
