package io.lakelens.models.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
 * Every image of {@code preprocessing.images[]} in both golden files (README sections 3.2 and
 * 4.1), through decode, resize, crop and normalisation.
 */
class GoldenPreprocessingTest {
    private static final String[] MODELS = {"clip-tiny", "blip-tiny"};

    static Stream<Arguments> goldenImages() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Arguments> cases = new ArrayList<>();
        for (String model : MODELS) {
            Path folder = TestImages.resource("golden/" + model);
            JsonNode golden = json.readTree(folder.resolve("golden.json").toFile());
            ImagePreprocessor preprocessor = ImagePreprocessor.fromConfig(folder.resolve("preprocessor_config.json"));
            for (JsonNode image : golden.get("preprocessing").get("images")) {
                cases.add(Arguments.of(model, image.get("name").asText(), folder, image, preprocessor));
            }
        }
        return cases.stream();
    }

    /**
     * The pixels every later step starts from: for a JPEG, Pillow's own decode (our JPEG decoder
     * is compared to it separately), otherwise the file decoded by us.
     */
    private static RgbImage startingPixels(Path folder, JsonNode image) {
        if (image.has("decoded_rgb_png")) {
            return new ImageDecoder().decode(TestImages.bytes(folder.resolve(image.get("decoded_rgb_png").asText())));
        }
        return new ImageDecoder().decode(TestImages.bytes(folder.resolve(image.get("file").asText())));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("goldenImages")
    void fileFactsMatch(String model, String name, Path folder, JsonNode image, ImagePreprocessor preprocessor) {
        ImageInfo info = ImageProbe.probe(TestImages.bytes(folder.resolve(image.get("file").asText())));
        assertEquals(image.get("format").asText(), info.format().name());
        assertEquals(image.get("mode").asText(), info.mode());
        assertEquals(image.get("width").asInt(), info.width());
        assertEquals(image.get("height").asInt(), info.height());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("goldenImages")
    void jpegDecodesLikePillow(String model, String name, Path folder, JsonNode image, ImagePreprocessor preprocessor) {
        if (!image.has("decoded_rgb_png")) {
            return;
        }
        RgbImage ours = new ImageDecoder().decode(TestImages.bytes(folder.resolve(image.get("file").asText())));
        RgbImage pillow = TestImages.readReferencePng(folder.resolve(image.get("decoded_rgb_png").asText()));
        int maxDiff = TestImages.maxDiff(ours, pillow);
        System.out.printf("%s %s: JPEG decode max |ours - Pillow| = %d%n", model, name, maxDiff);
        assertEquals(0, maxDiff, "JPEG decode differs from Pillow's");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("goldenImages")
    void rgbConversionMatchesIdentityResize(String model, String name, Path folder, JsonNode image, ImagePreprocessor preprocessor) {
        // rgb_32x32 is not resized, so its resized_uint8_hwc is the RGB conversion itself; for the
        // other files this is covered through the resize below.
        RgbImage rgb = startingPixels(folder, image);
        if (rgb.width() == 32 && rgb.height() == 32) {
            assertArrayEquals(flatBytes(image.get("resized_uint8_hwc")), rgb.pixels());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("goldenImages")
    void resizeIsExact(String model, String name, Path folder, JsonNode image, ImagePreprocessor preprocessor) {
        JsonNode expected = image.get("resized_uint8_hwc");
        RgbImage resized = preprocessor.resize(startingPixels(folder, image));
        assertEquals(expected.get("shape").get(0).asInt(), resized.height());
        assertEquals(expected.get("shape").get(1).asInt(), resized.width());
        assertArrayEquals(flatBytes(expected), resized.pixels());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("goldenImages")
    void cropOffsetsAreExact(String model, String name, Path folder, JsonNode image, ImagePreprocessor preprocessor) {
        ImagePreprocessor.Geometry g = preprocessor.geometry(image.get("width").asInt(), image.get("height").asInt());
        if (image.has("crop_top")) {
            assertEquals(image.get("resized_height").asInt(), g.resizedHeight());
            assertEquals(image.get("resized_width").asInt(), g.resizedWidth());
            assertEquals(image.get("crop_top").asInt(), g.cropTop());
            assertEquals(image.get("crop_left").asInt(), g.cropLeft());
        } else {
            assertEquals(0, g.cropTop());
            assertEquals(0, g.cropLeft());
        }
        assertEquals(32, g.outputHeight());
        assertEquals(32, g.outputWidth());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("goldenImages")
    void pixelValuesMatch(String model, String name, Path folder, JsonNode image, ImagePreprocessor preprocessor) {
        float[] expected = flatFloats(image.get("pixel_values"));
        float[] actual = preprocessor.preprocess(startingPixels(folder, image));
        double maxDiff = maxAbsDiff(expected, actual);
        System.out.printf("%s %s: pixel_values max abs diff = %.3g%n", model, name, maxDiff);
        assertTrue(maxDiff <= 1e-6, "max abs diff " + maxDiff);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("goldenImages")
    void pixelValuesFromEncodedFile(String model, String name, Path folder, JsonNode image, ImagePreprocessor preprocessor) {
        // The whole path from the file bytes, JPEG decode included.
        float[] expected = flatFloats(image.get("pixel_values"));
        float[] actual = preprocessor.preprocess(TestImages.bytes(folder.resolve(image.get("file").asText())));
        assertTrue(maxAbsDiff(expected, actual) <= 1e-6);
    }

    static double maxAbsDiff(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs((double) expected[i] - actual[i]));
        }
        return max;
    }

    static byte[] flatBytes(JsonNode tensor) {
        List<Integer> values = new ArrayList<>();
        flatten(tensor.get("data"), node -> values.add(node.asInt()));
        byte[] out = new byte[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (int) values.get(i);
        }
        return out;
    }

    static float[] flatFloats(JsonNode tensor) {
        List<Float> values = new ArrayList<>();
        flatten(tensor.get("data"), node -> values.add(Float.parseFloat(node.asText())));
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static void flatten(JsonNode node, java.util.function.Consumer<JsonNode> sink) {
        if (node.isArray()) {
            node.forEach(child -> flatten(child, sink));
        } else {
            sink.accept(node);
        }
    }
}
