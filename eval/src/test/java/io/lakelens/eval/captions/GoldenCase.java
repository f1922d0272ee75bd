package io.lakelens.eval.captions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** One golden case file of {@code golden/captions/cases} (schema in the README beside them). */
record GoldenCase(
    String caseId,
    List<Integer> imageOrder,
    Map<Integer, List<String>> references,
    Map<Integer, String> candidates,
    Map<Integer, List<String>> expectedTokenizedReferences,
    Map<Integer, String> expectedTokenizedCandidates,
    Map<String, Double> expectedCorpus,
    Map<Integer, Map<String, Double>> expectedPerImage,
    JsonNode bleuStats,
    Set<String> errors) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static Path casesDirectory() {
    try {
      return Path.of(GoldenCase.class.getResource("/golden/captions/cases").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<Path> caseFiles() {
    try (Stream<Path> files = Files.list(casesDirectory())) {
      return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static GoldenCase load(String fileName) {
    return load(casesDirectory().resolve(fileName));
  }

  static GoldenCase load(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonNode inputs = root.get("inputs");
    JsonNode expected = root.get("expected");
    List<Integer> order = new ArrayList<>();
    inputs.get("image_order").forEach(n -> order.add(n.asInt()));
    JsonNode tokenized = expected.get("tokenized");

    Map<Integer, Map<String, Double>> perImage = new LinkedHashMap<>();
    fields(expected.get("per_image")).forEach((id, scores) -> {
      Map<String, Double> values = new LinkedHashMap<>();
      fields(scores).forEach((name, value) -> {
        if (!name.equals("SPICE")) {
          values.put(name, number(value));
        }
      });
      perImage.put(Integer.valueOf(id), values);
    });
    Map<String, Double> corpus = new LinkedHashMap<>();
    fields(expected.get("corpus")).forEach((name, value) -> {
      if (!name.equals("SPICE")) {
        corpus.put(name, number(value));
      }
    });
    Set<String> errors = new LinkedHashSet<>();
    expected.get("errors").fieldNames().forEachRemaining(errors::add);

    return new GoldenCase(
        root.get("case_id").asText(), order,
        stringLists(inputs.get("references")), strings(inputs.get("candidates")),
        stringLists(tokenized.get("references")), strings(tokenized.get("candidates")),
        corpus, perImage, expected.get("bleu_stats"), errors);
  }

  /** Golden floats are shortest round-trip reprs, or "NaN"/"Infinity" strings. */
  static double number(JsonNode value) {
    return value.isTextual() ? Double.parseDouble(value.asText()) : value.doubleValue();
  }

  private static Map<String, JsonNode> fields(JsonNode object) {
    Map<String, JsonNode> map = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      map.put(e.getKey(), e.getValue());
    }
    return map;
  }

  private static Map<Integer, List<String>> stringLists(JsonNode object) {
    Map<Integer, List<String>> map = new LinkedHashMap<>();
    fields(object).forEach((id, list) -> {
      List<String> values = null;
      if (!list.isNull()) {
        values = new ArrayList<>();
        for (JsonNode s : list) {
          values.add(s.asText());
        }
      }
      map.put(Integer.valueOf(id), values);
    });
    return map;
  }

  private static Map<Integer, String> strings(JsonNode object) {
    Map<Integer, String> map = new LinkedHashMap<>();
    fields(object).forEach((id, s) -> map.put(Integer.valueOf(id), s.isNull() ? null : s.asText()));
    return map;
  }

  @Override
  public String toString() {
    return caseId;
  }
}
