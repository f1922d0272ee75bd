package io.lakelens.eval.captions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GoldenCaptionCasesTest {

  static Stream<Path> cases() {
    return GoldenCase.caseFiles();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void tokenizerMatchesReference(Path file) {
    GoldenCase c = GoldenCase.load(file);
    PtbTokenizer tokenizer = new PtbTokenizer();
    Map<Integer, List<String>> refs = tokenizer.tokenize(c.imageOrder(), c.references());
    Map<Integer, List<String>> candidateLists = tokenizer.tokenize(c.imageOrder(), asLists(c.candidates()));
    Map<Integer, List<String>> expectedRefs = new LinkedHashMap<>(c.expectedTokenizedReferences());
    expectedRefs.values().removeIf(v -> v == null);
    assertEquals(expectedRefs, refs);
    Map<Integer, String> candidates = new LinkedHashMap<>();
    candidateLists.forEach((id, list) -> candidates.put(id, list.get(0)));
    Map<Integer, String> expectedCandidates = new LinkedHashMap<>(c.expectedTokenizedCandidates());
    expectedCandidates.values().removeIf(v -> v == null);
    assertEquals(expectedCandidates, candidates);
  }

  private static Map<Integer, List<String>> asLists(Map<Integer, String> candidates) {
    Map<Integer, List<String>> lists = new LinkedHashMap<>();
    candidates.forEach((id, c) -> lists.put(id, List.of(c)));
    return lists;
  }
}
