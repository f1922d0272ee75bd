package io.lakelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code lakelens eval captions} on the golden caption cases (eval's test resources), turned into the
 * COCO results/annotations files a user would have: the printed corpus scores are the toolkit's.
 */
class EvalCaptionsCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double RELATIVE_TOLERANCE = 1e-12;

    @TempDir
    Path tmp;

    /** Runs a command line in-process, as {@link CliTest} does. */
    static CliTest.Run run(String... args) {
        return CliTest.run(args);
    }

    static Path goldenCase(String name) {
        return Path.of(System.getProperty("lakelens.repoRoot"), "eval", "src", "test", "resources", "golden", "captions",
                "cases", name + ".json");
    }

    /** Writes a golden case as COCO results (candidates) and annotations (references) files, in image order. */
    private Path[] cocoFiles(JsonNode golden) throws IOException {
        JsonNode inputs = golden.get("inputs");
        ArrayNode results = JSON.createArrayNode();
        ArrayNode annotations = JSON.createArrayNode();
        for (JsonNode idNode : inputs.get("image_order")) {
            String id = idNode.asText();
            results.addObject().put("image_id", idNode.asLong()).put("caption", inputs.get("candidates").get(id).textValue());
            for (JsonNode ref : inputs.get("references").get(id)) {
                annotations.addObject().put("image_id", idNode.asLong()).put("caption", ref.textValue());
            }
        }
        ObjectNode refs = JSON.createObjectNode();
        refs.set("annotations", annotations);
        Path c = tmp.resolve("candidates.json");
        Path r = tmp.resolve("references.json");
        Files.writeString(c, JSON.writeValueAsString(results), StandardCharsets.UTF_8);
        Files.writeString(r, JSON.writeValueAsString(refs), StandardCharsets.UTF_8);
        return new Path[] {c, r};
    }

    private static Map<String, Double> printedScores(String out) {
        Map<String, Double> scores = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] parts = line.trim().split(" ");
            if (parts.length == 2 && !parts[0].equals("images")) {
                scores.put(parts[0], Double.parseDouble(parts[1]));
            }
        }
        return scores;
    }

    private static void assertClose(double expected, double actual, String what) {
        assertTrue(Math.abs(expected - actual) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(expected)),
                what + ": expected " + expected + ", got " + actual);
    }

    @ParameterizedTest
    @ValueSource(strings = {"coco_human_loo_third_25", "coco_human_loo_first_500", "adversarial_mixed",
        "edge_toy_hand_checkable", "edge_carriage_return_in_candidate", "edge_line_separator_in_reference",
        "edge_all_candidates_empty", "edge_single_image"})
    void reproducesTheGoldenCorpusAndPerImageScores(String name) throws IOException {
        JsonNode golden = JSON.readTree(goldenCase(name).toFile());
        Path[] files = cocoFiles(golden);
        Path out = tmp.resolve("per-image.jsonl");
        CliTest.Run r = run("eval", "captions", "--candidates", files[0].toString(), "--references", files[1].toString(),
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Double> printed = printedScores(r.out());
        JsonNode corpus = golden.get("expected").get("corpus");
        for (String metric : List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L", "CIDEr")) {
            assertClose(corpus.get(metric).asDouble(), printed.get(metric), name + " corpus " + metric);
        }
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(golden.get("inputs").get("image_order").size(), lines.size());
        for (String line : lines) {
            JsonNode scores = JSON.readTree(line);
            JsonNode expected = golden.get("expected").get("per_image").get(scores.get("image_id").asText());
            for (String metric : List.of("Bleu_1", "Bleu_4", "ROUGE_L", "CIDEr")) {
                assertClose(expected.get(metric).asDouble(), scores.get(metric).asDouble(), name + " " + line + " " + metric);
            }
        }
    }

    @Test
    void badInputFailsWithExitOneNamingTheImageOrLineAndWritesNothing() throws IOException {
        Path refs = tmp.resolve("refs.json");
        Files.writeString(refs, "{\"annotations\": [{\"image_id\": 1, \"caption\": \"a dog\"},"
                + " {\"image_id\": 2, \"caption\": \"a cat\"}]}");
        Path out = tmp.resolve("scores.jsonl");

        Path orphan = tmp.resolve("orphan.json");
        Files.writeString(orphan, "[{\"image_id\": 1, \"caption\": \"a dog\"}, {\"image_id\": 7, \"caption\": \"x\"}]");
        assertFailure(run("eval", "captions", "--candidates", orphan.toString(), "--references", refs.toString(),
                "--out", out.toString()), "image 7");

        Path duplicate = tmp.resolve("duplicate.json");
        Files.writeString(duplicate, "[{\"image_id\": 2, \"caption\": \"a\"}, {\"image_id\": 2, \"caption\": \"b\"}]");
        assertFailure(run("eval", "captions", "--candidates", duplicate.toString(), "--references", refs.toString(),
                "--out", out.toString()), "image 2");

        Path malformed = tmp.resolve("malformed.json");
        Files.writeString(malformed, "[{\"image_id\": 1,\n \"caption\": \"a dog\"\n");
        assertFailure(run("eval", "captions", "--candidates", malformed.toString(), "--references", refs.toString(),
                "--out", out.toString()), "line 3");

        assertFalse(Files.exists(out), "no per-image file after a failure");
        try (Stream<Path> left = Files.list(tmp)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    private static void assertFailure(CliTest.Run r, String named) {
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("error:") && r.err().contains(named), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose: " + r.err());
    }
}
