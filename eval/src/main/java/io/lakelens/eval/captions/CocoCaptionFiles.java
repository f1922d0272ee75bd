package io.lakelens.eval.captions;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The COCO JSON shapes read by {@code lakelens eval captions --candidates FILE --references FILE}.
 *
 * <ul>
 *   <li>candidates: a COCO results file, {@code [{"image_id": 1, "caption": "..."}, ...]}
 *       (other fields are ignored);</li>
 *   <li>references: a COCO annotations file,
 *       {@code {"annotations": [{"image_id": 1, "caption": "..."}, ...], "images": [{"id": 1}, ...]}},
 *       where {@code images} is optional; when present, every candidate's image must be listed in it,
 *       as the COCO API's {@code loadRes} requires.</li>
 * </ul>
 *
 * <p>Image ids may be integers or strings, and the two kinds are different ids. Only the images of
 * the candidates file are evaluated (other references are dropped: CIDEr-D's document frequencies
 * come from the evaluated images only). The image order is the order of first appearance in the
 * candidates file; note that COCOEvalCap itself orders by the references' {@code images} list, which
 * only matters for quirk T2 and the order of per-image output.
 *
 * <p>Every error is a {@link CaptionFileException} naming the file and the problem: malformed JSON
 * (line and column), a missing or mistyped field (array index), duplicate candidates (image id), a
 * candidate whose image has no references (image id).
 */
public final class CocoCaptionFiles {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private CocoCaptionFiles() {}

  /** Reads both files and pairs them. */
  public static CaptionInputs read(Path candidatesFile, Path referencesFile) throws IOException {
    Map<ImageId, String> candidates = readCandidates(candidatesFile);
    References references = readReferenceFile(referencesFile);
    Map<ImageId, List<String>> used = new LinkedHashMap<>();
    for (ImageId id : candidates.keySet()) {
      if (references.images != null && !references.images.contains(id)) {
        throw new CaptionFileException(candidatesFile, "image " + id + " is not listed in the \"images\""
            + " of references file " + referencesFile + typeHint(id, references.images));
      }
      List<String> refs = references.captions.get(id);
      if (refs == null) {
        throw new CaptionFileException(candidatesFile, "image " + id + " has no reference caption in"
            + " references file " + referencesFile + typeHint(id, references.captions.keySet()));
      }
      used.put(id, refs);
    }
    return new CaptionInputs(List.copyOf(candidates.keySet()), used, candidates);
  }

  /** A COCO results file: one caption per image, in file order. */
  public static Map<ImageId, String> readCandidates(Path file) throws IOException {
    JsonNode root = parse(file);
    if (!root.isArray()) {
      throw new CaptionFileException(file, "expected a JSON array of {\"image_id\", \"caption\"} objects"
          + " (COCO results format), got " + kind(root));
    }
    Map<ImageId, String> candidates = new LinkedHashMap<>();
    Map<ImageId, Integer> entryOf = new HashMap<>();
    for (int i = 0; i < root.size(); i++) {
      String where = "entry [" + i + "]";
      JsonNode entry = root.get(i);
      ImageId id = imageId(file, where, entry, "image_id");
      String caption = caption(file, where, entry);
      Integer previous = entryOf.putIfAbsent(id, i);
      if (previous != null) {
        throw new CaptionFileException(file, "image " + id + " has more than one candidate"
            + " (entries [" + previous + "] and [" + i + "])");
      }
      candidates.put(id, caption);
    }
    return candidates;
  }

  /** The captions of a COCO annotations file, per image in order of first appearance. */
  public static Map<ImageId, List<String>> readReferences(Path file) throws IOException {
    return readReferenceFile(file).captions;
  }

  /**
   * Writes one JSON object per line and image, in evaluation order:
   * {@code {"image_id": 42, "Bleu_1": ..., ..., "CIDEr": ...}}. Non-finite values are written as
   * the strings "NaN", "Infinity", "-Infinity".
   */
  public static void writePerImageScores(CaptionEvaluation<ImageId> evaluation, Writer out) throws IOException {
    for (Map.Entry<ImageId, Map<String, Double>> e : evaluation.perImage().entrySet()) {
      ObjectNode line = JSON.createObjectNode();
      if (e.getKey().isNumber()) {
        line.put("image_id", e.getKey().number());
      } else {
        line.put("image_id", e.getKey().text());
      }
      e.getValue().forEach(line::put);
      out.write(JSON.writeValueAsString(line));
      out.write('\n');
    }
    out.flush();
  }

  /** {@link #writePerImageScores(CaptionEvaluation, Writer)} to a UTF-8 file (replaced). */
  public static void writePerImageScores(CaptionEvaluation<ImageId> evaluation, Path file) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      writePerImageScores(evaluation, out);
    }
  }

  private record References(Map<ImageId, List<String>> captions, Set<ImageId> images) {}

  private static References readReferenceFile(Path file) throws IOException {
    JsonNode root = parse(file);
    if (!root.isObject() || !root.has("annotations")) {
      throw new CaptionFileException(file, "expected a COCO annotations object with an \"annotations\""
          + " array, got " + (root.isObject() ? "an object without \"annotations\"" : kind(root)));
    }
    JsonNode annotations = root.get("annotations");
    if (!annotations.isArray()) {
      throw new CaptionFileException(file, "\"annotations\" must be an array, got " + kind(annotations));
    }
    Map<ImageId, List<String>> captions = new LinkedHashMap<>();
    for (int i = 0; i < annotations.size(); i++) {
      String where = "annotations[" + i + "]";
      JsonNode entry = annotations.get(i);
      ImageId id = imageId(file, where, entry, "image_id");
      captions.computeIfAbsent(id, k -> new ArrayList<>()).add(caption(file, where, entry));
    }
    Set<ImageId> images = null;
    JsonNode imageList = root.get("images");
    if (imageList != null && !imageList.isNull()) {
      if (!imageList.isArray()) {
        throw new CaptionFileException(file, "\"images\" must be an array, got " + kind(imageList));
      }
      images = new HashSet<>();
      for (int i = 0; i < imageList.size(); i++) {
        images.add(imageId(file, "images[" + i + "]", imageList.get(i), "id"));
      }
    }
    return new References(captions, images);
  }

  private static JsonNode parse(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new CaptionFileException(file, Files.exists(file) ? "not a regular file" : "no such file");
    }
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String position = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new CaptionFileException(file, "malformed JSON" + position + ": " + e.getOriginalMessage(), e);
    }
    if (root == null || root.isMissingNode()) {
      throw new CaptionFileException(file, "empty file, expected JSON");
    }
    return root;
  }

  private static ImageId imageId(Path file, String where, JsonNode entry, String field)
      throws CaptionFileException {
    if (!entry.isObject()) {
      throw new CaptionFileException(file, where + " must be an object, got " + kind(entry));
    }
    JsonNode value = entry.get(field);
    if (value == null || value.isNull()) {
      throw new CaptionFileException(file, where + " has no \"" + field + "\"");
    }
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return ImageId.of(value.longValue());
    }
    if (value.isTextual()) {
      return ImageId.of(value.textValue());
    }
    throw new CaptionFileException(file, where + ": \"" + field + "\" must be an integer or a string,"
        + " got " + value);
  }

  private static String caption(Path file, String where, JsonNode entry) throws CaptionFileException {
    JsonNode value = entry.get("caption");
    if (value == null || value.isNull()) {
      throw new CaptionFileException(file, where + " has no \"caption\"");
    }
    if (!value.isTextual()) {
      throw new CaptionFileException(file, where + ": \"caption\" must be a string, got " + kind(value));
    }
    return value.textValue();
  }

  private static String typeHint(ImageId id, Set<ImageId> known) {
    ImageId other = id.otherKind();
    return other != null && known.contains(other)
        ? " (it has " + other + ": integer and string ids are different images)"
        : "";
  }

  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> node.getNodeType().toString().toLowerCase(Locale.ROOT);
    };
  }
}
