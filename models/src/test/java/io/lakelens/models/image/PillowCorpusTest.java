package io.lakelens.models.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Conformance with Pillow 12.3 beyond the golden images: every colour mode and format variant in
 * {@code images/pillow_corpus.json} (made by {@code images/make_pillow_corpus.py}), and resizes
 * of sizes the golden files do not cover.
 */
class PillowCorpusTest {
    private static final Path FOLDER = TestImages.resource("images");

    static Stream<Arguments> decodeCases() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        for (JsonNode entry : corpus().get("decode")) {
            cases.add(Arguments.of(entry.get("file").asText(), entry));
        }
        return cases.stream();
    }

    static Stream<Arguments> resizeCases() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        for (JsonNode entry : corpus().get("resize")) {
            cases.add(Arguments.of(entry.get("output").asText(), entry));
        }
        return cases.stream();
    }

    private static JsonNode corpus() throws IOException {
        return new ObjectMapper().readTree(FOLDER.resolve("pillow_corpus.json").toFile());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decodeCases")
    void decodesLikePillow(String file, JsonNode entry) {
        RgbImage ours = new ImageDecoder().decode(TestImages.bytes(FOLDER.resolve(file)));
        RgbImage pillow = TestImages.readReferencePng(FOLDER.resolve(entry.get("rgb").asText()));
        int maxDiff = TestImages.maxDiff(ours, pillow);
        System.out.printf("%-28s %-5s %-5s |ours - Pillow| max %d, mean %.3f%n", file, entry.get("format").asText(),
                entry.get("mode").asText(), maxDiff, TestImages.meanDiff(ours, pillow));
        assertTrue(maxDiff <= entry.get("max_diff").asInt(), file + ": max diff " + maxDiff);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decodeCases")
    void probesLikePillow(String file, JsonNode entry) {
        ImageInfo info = ImageProbe.probe(TestImages.bytes(FOLDER.resolve(file)));
        assertEquals(entry.get("format").asText(), info.format().name());
        assertEquals(entry.get("width").asInt(), info.width());
        assertEquals(entry.get("height").asInt(), info.height());
        assertEquals(entry.get("mode").asText(), info.mode(), file + " mode");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resizeCases")
    void resizesLikePillow(String output, JsonNode entry) {
        RgbImage source = resizeSource(entry.get("source_width").asInt(), entry.get("source_height").asInt());
        RgbImage expected = TestImages.readReferencePng(FOLDER.resolve(output));
        RgbImage actual = PillowBicubicResize.resize(source, entry.get("width").asInt(), entry.get("height").asInt());
        assertEquals(0, TestImages.maxDiff(expected, actual), output);
    }

    /** The source formula of {@code make_pillow_corpus.py}'s {@code resize_source}. */
    static RgbImage resizeSource(int w, int h) {
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    int v = (x * x * 3 + y * y * 5 + x * y * 7 + c * 71 + ((x * 13) ^ (y * 29)) % 64) % 256;
                    px[(y * w + x) * 3 + c] = (byte) v;
                }
            }
        }
        return new RgbImage(w, h, px);
    }
}
