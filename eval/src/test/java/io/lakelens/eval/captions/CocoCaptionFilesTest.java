package io.lakelens.eval.captions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoCaptionFilesTest {

  @TempDir
  Path dir;

  private Path write(String name, String json) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, json, StandardCharsets.UTF_8);
    return file;
  }

  private static final String REFERENCES = """
      {"images": [{"id": 2}, {"id": 1}, {"id": "x"}],
       "annotations": [
         {"image_id": 1, "id": 10, "caption": "A dog runs."},
         {"image_id": 2, "id": 11, "caption": "Two cats."},
         {"image_id": 1, "id": 12, "caption": "A brown dog."},
         {"image_id": "x", "id": 13, "caption": "A string id."},
         {"image_id": 3, "id": 14, "caption": "Not evaluated."}]}
      """;

  @Test
  void readsCandidatesAndTheirReferencesInCandidateOrder() throws IOException {
    Path candidates = write("cands.json", """
        [{"image_id": "x", "caption": "s"}, {"image_id": 1, "caption": "a dog", "score": 0.5},
         {"image_id": 2, "caption": "cats"}]""");
    CaptionInputs in = CocoCaptionFiles.read(candidates, write("refs.json", REFERENCES));
    assertEquals(List.of(ImageId.of("x"), ImageId.of(1), ImageId.of(2)), in.imageOrder());
    assertEquals(List.of("A dog runs.", "A brown dog."), in.references().get(ImageId.of(1)));
    assertEquals(3, in.references().size());
    assertEquals("a dog", in.candidates().get(ImageId.of(1)));
  }

  @Test
  void imagesListIsOptional() throws IOException {
    Path refs = write("refs.json", "{\"annotations\": [{\"image_id\": 5, \"caption\": \"c\"}]}");
    CaptionInputs in = CocoCaptionFiles.read(write("c.json", "[{\"image_id\": 5, \"caption\": \"c\"}]"), refs);
    assertEquals(Map.of(ImageId.of(5), List.of("c")), in.references());
  }

  @Test
  void malformedJsonNamesFileLineAndColumn() throws IOException {
    // the stray quote of "oops" is the 19th character of line 2
    Path bad = write("bad.json", "[{\"image_id\": 1,\n  \"caption\": \"a\" \"oops\"}]");
    CaptionFileException e = assertThrows(CaptionFileException.class, () -> CocoCaptionFiles.readCandidates(bad));
    assertTrue(e.getMessage().startsWith(bad + ": malformed JSON at line 2, column 19: "), e.getMessage());
    assertEquals(bad, e.file());
  }

  @Test
  void trailingGarbageAndEmptyFilesAreErrors() throws IOException {
    Path trailing = write("t.json", "[] ]");
    assertTrue(assertThrows(CaptionFileException.class, () -> CocoCaptionFiles.readCandidates(trailing))
        .getMessage().contains("malformed JSON at line 1"));
    Path empty = write("e.json", "");
    assertEquals(empty + ": empty file, expected JSON",
        assertThrows(CaptionFileException.class, () -> CocoCaptionFiles.readCandidates(empty)).getMessage());
    Path missing = dir.resolve("missing.json");
    assertEquals(missing + ": no such file",
        assertThrows(CaptionFileException.class, () -> CocoCaptionFiles.readCandidates(missing)).getMessage());
  }

  @Test
  void missingFieldsNameTheArrayIndex() throws IOException {
    Path noCaption = write("c.json", "[{\"image_id\": 1, \"caption\": \"a\"}, {\"image_id\": 2}]");
    assertEquals(noCaption + ": entry [1] has no \"caption\"",
        assertThrows(CaptionFileException.class, () -> CocoCaptionFiles.readCandidates(noCaption)).getMessage());
    Path noId = write("r.json", "{\"annotations\": [{\"caption\": \"a\"}]}");
    assertEquals(noId + ": annotations[0] has no \"image_id\"",
        assertThrows(CaptionFileException.class, () -> CocoCaptionFiles.readReferences(noId)).getMessage());
    Path badImage = write("i.json", "{\"annotations\": [], \"images\": [{\"file_name\": \"a.jpg\"}]}");
    assertEquals(badImage + ": images[0] has no \"id\"",
        assertThrows(CaptionFileException.class, () -> CocoCaptionFiles.readReferences(badImage)).getMessage());
  }

  @Test
  void wrongTypesAreNamed() throws IOException {
    Path floatId = write("c.json", "[{\"image_id\": 1.5, \"caption\": \"a\"}]");
    assertEquals(floatId + ": entry [0]: \"image_id\" must be an integer or a string, got 1.5",
        assertThrows(CaptionFileException.class, () -> CocoCaptionFiles.readCandidates(floatId)).getMessage());
    Path numberCaption = write("n.json", "[{\"image_id\": 1, \"caption\": 7}]");
    assertEquals(numberCaption + ": entry [0]: \"caption\" must be a string, got a number",
        assertThrows(CaptionFileException.class, () -> CocoCaptionFiles.readCandidates(numberCaption)).getMessage());
    Path object = write("o.json", "{\"annotations\": []}");
    assertTrue(assertThrows(CaptionFileException.class, () -> CocoCaptionFiles.readCandidates(object))
        .getMessage().endsWith("(COCO results format), got an object"));
    Path array = write("a.json", "[]");
    assertEquals(array + ": expected a COCO annotations object with an \"annotations\" array, got an array",
        assertThrows(CaptionFileException.class, () -> CocoCaptionFiles.readReferences(array)).getMessage());
  }

  @Test
  void duplicateCandidatesNameTheImage() throws IOException {
    Path dup = write("c.json", "[{\"image_id\": 7, \"caption\": \"a\"}, {\"image_id\": 8, \"caption\": \"b\"},"
        + " {\"image_id\": 7, \"caption\": \"c\"}]");
    assertEquals(dup + ": image 7 has more than one candidate (entries [0] and [2])",
        assertThrows(CaptionFileException.class, () -> CocoCaptionFiles.readCandidates(dup)).getMessage());
  }

  @Test
  void candidateWithoutReferencesNamesTheImage() throws IOException {
    Path refs = write("refs.json", "{\"annotations\": [{\"image_id\": 1, \"caption\": \"c\"}]}");
    Path cands = write("c.json", "[{\"image_id\": 1, \"caption\": \"a\"}, {\"image_id\": 9, \"caption\": \"b\"}]");
    assertEquals(cands + ": image 9 has no reference caption in references file " + refs,
        assertThrows(CaptionFileException.class, () -> CocoCaptionFiles.read(cands, refs)).getMessage());

    Path stringId = write("s.json", "[{\"image_id\": \"1\", \"caption\": \"a\"}]");
    assertEquals(stringId + ": image \"1\" has no reference caption in references file " + refs
            + " (it has 1: integer and string ids are different images)",
        assertThrows(CaptionFileException.class, () -> CocoCaptionFiles.read(stringId, refs)).getMessage());
  }

  @Test
  void candidateMissingFromImagesListIsNamed() throws IOException {
    Path refs = write("refs.json", "{\"images\": [{\"id\": 2}], \"annotations\": [{\"image_id\": 1, \"caption\": \"c\"}]}");
    Path cands = write("c.json", "[{\"image_id\": 1, \"caption\": \"a\"}]");
    assertEquals(cands + ": image 1 is not listed in the \"images\" of references file " + refs,
        assertThrows(CaptionFileException.class, () -> CocoCaptionFiles.read(cands, refs)).getMessage());
  }

  @Test
  void writesPerImageScoresAsJsonLines() throws IOException {
    Map<ImageId, Map<String, Double>> perImage = new LinkedHashMap<>();
    perImage.put(ImageId.of(3), Map.of("Bleu_1", 0.25));
    perImage.put(ImageId.of("b"), Map.of("Bleu_1", Double.NaN));
    CaptionEvaluation<ImageId> evaluation = new CaptionEvaluation<>(
        List.of(ImageId.of(3), ImageId.of("b")), Map.of(), Map.of(), Map.of("Bleu_1", 0.5), perImage);
    StringWriter out = new StringWriter();
    CocoCaptionFiles.writePerImageScores(evaluation, out);
    assertEquals("{\"image_id\":3,\"Bleu_1\":0.25}\n{\"image_id\":\"b\",\"Bleu_1\":\"NaN\"}\n", out.toString());
  }

  @Test
  void goldenCaseThroughCocoFilesGivesTheReferenceScores() throws IOException {
    GoldenCase c = GoldenCase.load("coco_human_loo_third_25.json");
    ObjectMapper json = new ObjectMapper();
    ArrayNode results = json.createArrayNode();
    ArrayNode annotations = json.createArrayNode();
    for (Integer id : c.imageOrder()) {
      results.addObject().put("image_id", id).put("caption", c.candidates().get(id));
      c.references().get(id).forEach(ref -> annotations.addObject().put("image_id", id).put("caption", ref));
    }
    ObjectNode refs = json.createObjectNode();
    refs.set("annotations", annotations);
    Path candidatesFile = write("results.json", json.writeValueAsString(results));
    Path referencesFile = write("captions.json", json.writeValueAsString(refs));

    CaptionInputs in = CocoCaptionFiles.read(candidatesFile, referencesFile);
    CaptionEvaluation<ImageId> result = new CaptionEvaluator().evaluate(in.imageOrder(), in.references(), in.candidates());
    c.expectedCorpus().forEach((name, expected) -> assertEquals(expected, result.corpus().get(name), 1e-12, name));
  }
}
