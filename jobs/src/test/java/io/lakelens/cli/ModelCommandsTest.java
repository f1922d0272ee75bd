package io.lakelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakelens.jobs.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lakelens model ...} prints the golden values for the golden inputs. */
class ModelCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static List<JsonNode> lines(String out) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                nodes.add(JSON.readTree(line));
            }
        }
        return nodes;
    }

    @Test
    void embedImagesPrintsTheGoldenEmbeddings() throws IOException {
        JsonNode golden = JSON.readTree(TinyModels.clip().resolve("golden.json").toFile()).get("clip").get("per_image");
        List<String> args = new ArrayList<>(List.of("model", "embed-images", "--model", TinyModels.clip().toString(), "--device", "cpu"));
        golden.fieldNames().forEachRemaining(name -> args.add(TinyModels.clip().resolve("images").resolve(name).toString()));
        CliTest.Run r = CliTest.run(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        List<JsonNode> out = lines(r.out());
        assertEquals(golden.size(), out.size());
        for (JsonNode line : out) {
            String name = Path.of(line.get("file").asText()).getFileName().toString();
            JsonNode expected = golden.get(name).get("image_embeds");
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i).asDouble(), line.get("embedding").get(i).asDouble(), 1e-5, name);
            }
        }
    }

    @Test
    void embedTextsPrintsIdsAndEmbeddings() throws IOException {
        JsonNode perText = JSON.readTree(TinyModels.clip().resolve("golden.json").toFile()).get("clip").get("per_text").get(0);
        CliTest.Run r = CliTest.run("model", "embed-texts", "--model", TinyModels.clip().toString(), "--device", "cpu",
                perText.get("text").asText());
        assertEquals(0, r.code(), r.err());
        JsonNode line = lines(r.out()).get(0);
        assertEquals(perText.get("input_ids"), line.get("input_ids"));
        for (int i = 0; i < perText.get("text_embeds").size(); i++) {
            assertEquals(perText.get("text_embeds").get(i).asDouble(), line.get("embedding").get(i).asDouble(), 1e-5);
        }
    }

    @Test
    void captionPrintsTheGoldenGreedyCaptions() throws IOException {
        JsonNode runs = JSON.readTree(TinyModels.blip().resolve("golden.json").toFile()).get("blip").get("generate");
        List<String> args = new ArrayList<>(List.of("model", "caption", "--model", TinyModels.blip().toString(),
                "--device", "cpu", "--max-new-tokens", "12", "--batch-size", "3"));
        List<JsonNode> expected = new ArrayList<>();
        for (JsonNode run : runs) {
            if (run.get("mode").asText().equals("greedy") && run.get("prompt").isNull()) {
                expected.add(run);
                args.add(TinyModels.blip().resolve("images").resolve(run.get("image").asText()).toString());
            }
        }
        CliTest.Run r = CliTest.run(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        List<JsonNode> out = lines(r.out());
        assertEquals(expected.size(), out.size());
        for (int i = 0; i < out.size(); i++) {
            assertEquals(expected.get(i).get("decoded").asText(), out.get(i).get("caption").asText());
            assertEquals(expected.get(i).get("sequence"), out.get(i).get("token_ids"));
        }
    }

    @Test
    void zeroshotPrintsTopKLabelsWithProbabilities() throws IOException {
        CliTest.Run r = CliTest.run("model", "zeroshot", "--model", TinyModels.clip().toString(), "--device", "cpu",
                "--labels", "red-car,dog,cat", "--top-k", "2",
                TinyModels.clip().resolve("images/rgb_48x40.png").toString());
        assertEquals(0, r.code(), r.err());
        JsonNode top = lines(r.out()).get(0).get("top");
        assertEquals(2, top.size());
        assertTrue(top.get(0).get("probability").asDouble() >= top.get(1).get("probability").asDouble());
        assertTrue(List.of("red-car", "dog", "cat").contains(top.get(0).get("label").asText()));
    }

    @Test
    void badInputsGiveOneLineErrorsNamingTheFile() throws IOException {
        Path text = Files.writeString(tmp.resolve("notes.txt"), "hello");
        CliTest.Run r = CliTest.run("model", "embed-images", "--model", TinyModels.clip().toString(), "--device", "cpu",
                text.toString(), TinyModels.clip().resolve("images/rgb_32x32.png").toString());
        assertEquals(1, r.code(), "a bad file makes the command fail, after the others are done");
        assertEquals(1, lines(r.out()).size());
        assertTrue(r.err().startsWith("lakelens model: " + text + ": "), r.err());
        assertFalse(r.err().contains("\tat "), r.err());

        Path truncated = tmp.resolve("clip");
        Files.createDirectories(truncated);
        for (String f : List.of("config.json", "preprocessor_config.json", "tokenizer.json")) {
            Files.copy(TinyModels.clip().resolve(f), truncated.resolve(f));
        }
        byte[] weights = Files.readAllBytes(TinyModels.clip().resolve("model.safetensors"));
        Files.write(truncated.resolve("model.safetensors"), java.util.Arrays.copyOf(weights, weights.length / 2));
        CliTest.Run bad = CliTest.run("model", "embed-texts", "--model", truncated.toString(), "--device", "cpu", "x");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("model.safetensors: truncated"), bad.err());
        assertFalse(bad.err().contains("\tat "), bad.err());

        CliTest.Run wrongKind = CliTest.run("model", "caption", "--model", TinyModels.clip().toString(), "--device", "cpu",
                TinyModels.clip().resolve("images/rgb_32x32.png").toString());
        assertEquals(1, wrongKind.code());
        assertTrue(wrongKind.err().contains("model_type is 'clip'"), wrongKind.err());
    }
}
