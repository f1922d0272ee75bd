package io.lakelens.models.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * The fields of a Hugging Face {@code preprocessor_config.json} that decide the pixels. Behaviour
 * comes from these fields, not from the processor class, with one exception forced on us by
 * Hugging Face: a plain integer {@code size} (old configs) means "shortest edge" to
 * {@code CLIPImageProcessor} but "square" to {@code BlipImageProcessor}, so there the class name
 * ({@code image_processor_type} or {@code feature_extractor_type}) is consulted.
 *
 * <p>Defaults for absent fields are those shared by the CLIP and BLIP processors:
 * {@code do_convert_rgb}, {@code do_resize}, {@code do_rescale}, {@code do_normalize} true,
 * {@code resample} 3 (bicubic), {@code rescale_factor} 1/255; {@code do_center_crop} is true when
 * {@code crop_size} is present. Unknown keys are ignored.
 */
public final class PreprocessorConfig {
    /** Pillow's resampling filter codes as stored in {@code resample}. */
    public static final int RESAMPLE_BICUBIC = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The {@code size} field: either the shortest edge (aspect ratio kept) or an exact size. */
    public sealed interface Size permits ShortestEdge, HeightWidth {
    }

    /** {@code {"shortest_edge": N}}: scale so the shorter side is N, the other side truncated. */
    public record ShortestEdge(int edge) implements Size {
        public ShortestEdge {
            requirePositive(edge, "shortest_edge");
        }
    }

    /** {@code {"height": H, "width": W}}: resize to exactly H x W, ignoring the aspect ratio. */
    public record HeightWidth(int height, int width) implements Size {
        public HeightWidth {
            requirePositive(height, "height");
            requirePositive(width, "width");
        }
    }

    private final boolean doConvertRgb;
    private final boolean doResize;
    private final Size size;
    private final int resample;
    private final boolean doCenterCrop;
    private final HeightWidth cropSize;
    private final boolean doRescale;
    private final double rescaleFactor;
    private final boolean doNormalize;
    private final double[] imageMean;
    private final double[] imageStd;
    private final String processorType;

    /**
     * @param size      required when {@code doResize}
     * @param cropSize  required when {@code doCenterCrop}
     * @param imageMean per-channel (R, G, B), as written in the JSON; required when {@code doNormalize}
     * @param imageStd  likewise
     * @param processorType {@code image_processor_type} or {@code feature_extractor_type}; informational
     */
    public PreprocessorConfig(boolean doConvertRgb, boolean doResize, Size size, int resample, boolean doCenterCrop,
                              HeightWidth cropSize, boolean doRescale, double rescaleFactor, boolean doNormalize,
                              double[] imageMean, double[] imageStd, String processorType) {
        if (doResize) {
            Objects.requireNonNull(size, "size is required when do_resize is true");
        }
        if (doCenterCrop) {
            Objects.requireNonNull(cropSize, "crop_size is required when do_center_crop is true");
        }
        if (doNormalize) {
            requireThree(imageMean, "image_mean");
            requireThree(imageStd, "image_std");
        }
        this.doConvertRgb = doConvertRgb;
        this.doResize = doResize;
        this.size = size;
        this.resample = resample;
        this.doCenterCrop = doCenterCrop;
        this.cropSize = cropSize;
        this.doRescale = doRescale;
        this.rescaleFactor = rescaleFactor;
        this.doNormalize = doNormalize;
        this.imageMean = imageMean == null ? null : imageMean.clone();
        this.imageStd = imageStd == null ? null : imageStd.clone();
        this.processorType = processorType;
    }

    public static PreprocessorConfig fromJson(Path preprocessorConfigJson) {
        try {
            return fromJson(Files.readString(preprocessorConfigJson));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + preprocessorConfigJson, e);
        }
    }

    public static PreprocessorConfig fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("preprocessor config is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("preprocessor config must be a JSON object");
        }
        String type = text(root, "image_processor_type");
        if (type == null) {
            type = text(root, "feature_extractor_type");
        }
        boolean doResize = bool(root, "do_resize", true);
        Size size = root.hasNonNull("size") ? parseSize(root.get("size"), type) : null;
        HeightWidth crop = root.hasNonNull("crop_size") ? parseCropSize(root.get("crop_size")) : null;
        boolean doCenterCrop = bool(root, "do_center_crop", crop != null);
        boolean doNormalize = bool(root, "do_normalize", true);
        return new PreprocessorConfig(
                bool(root, "do_convert_rgb", true),
                doResize,
                size,
                root.hasNonNull("resample") ? root.get("resample").asInt() : RESAMPLE_BICUBIC,
                doCenterCrop,
                crop,
                bool(root, "do_rescale", true),
                root.hasNonNull("rescale_factor") ? root.get("rescale_factor").asDouble() : 1.0 / 255,
                doNormalize,
                doNormalize ? perChannel(root, "image_mean") : null,
                doNormalize ? perChannel(root, "image_std") : null,
                type);
    }

    private static Size parseSize(JsonNode node, String processorType) {
        if (node.isInt()) {
            // Hugging Face's get_size_dict turns an int into a dict using the class's default_to_square.
            int n = node.asInt();
            String type = processorType == null ? "" : processorType.toLowerCase(Locale.ROOT);
            if (type.startsWith("clip")) {
                return new ShortestEdge(n);
            }
            if (type.startsWith("blip")) {
                return new HeightWidth(n, n);
            }
            throw new IllegalArgumentException("size " + n + " is ambiguous for processor type '" + processorType
                    + "': write {\"shortest_edge\": " + n + "} or {\"height\": " + n + ", \"width\": " + n + "}");
        }
        if (node.has("shortest_edge")) {
            // CLIPImageProcessor reads shortest_edge first and ignores longest_edge.
            return new ShortestEdge(node.get("shortest_edge").asInt());
        }
        if (node.has("height") && node.has("width")) {
            return new HeightWidth(node.get("height").asInt(), node.get("width").asInt());
        }
        throw new IllegalArgumentException("size must be an int, {\"shortest_edge\": N} or {\"height\": H, \"width\": W}, got " + node);
    }

    private static HeightWidth parseCropSize(JsonNode node) {
        if (node.isInt()) {
            return new HeightWidth(node.asInt(), node.asInt()); // crop_size always defaults to square
        }
        if (node.has("height") && node.has("width")) {
            return new HeightWidth(node.get("height").asInt(), node.get("width").asInt());
        }
        throw new IllegalArgumentException("crop_size must be an int or {\"height\": H, \"width\": W}, got " + node);
    }

    private static double[] perChannel(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException(field + " is required when do_normalize is true");
        }
        if (node.isNumber()) {
            double v = node.asDouble(); // Hugging Face broadcasts a scalar to every channel
            return new double[] {v, v, v};
        }
        double[] values = new double[node.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = node.get(i).asDouble();
        }
        return values;
    }

    private static boolean bool(JsonNode root, String field, boolean otherwise) {
        return root.hasNonNull(field) ? root.get(field).asBoolean() : otherwise;
    }

    private static String text(JsonNode root, String field) {
        return root.hasNonNull(field) ? root.get(field).asText() : null;
    }

    private static void requireThree(double[] values, String field) {
        if (values == null || values.length != 3) {
            throw new IllegalArgumentException(field + " needs 3 values (R, G, B), got " + Arrays.toString(values));
        }
    }

    private static void requirePositive(int n, String field) {
        if (n <= 0) {
            throw new IllegalArgumentException(field + " must be positive, got " + n);
        }
    }

    public boolean doConvertRgb() {
        return doConvertRgb;
    }

    public boolean doResize() {
        return doResize;
    }

    /** Null when {@code do_resize} is false and the config has no size. */
    public Size size() {
        return size;
    }

    public int resample() {
        return resample;
    }

    public boolean doCenterCrop() {
        return doCenterCrop;
    }

    /** Null when {@code do_center_crop} is false and the config has no crop size. */
    public HeightWidth cropSize() {
        return cropSize;
    }

    public boolean doRescale() {
        return doRescale;
    }

    public double rescaleFactor() {
        return rescaleFactor;
    }

    public boolean doNormalize() {
        return doNormalize;
    }

    /** A copy, or null when normalisation is off. */
    public double[] imageMean() {
        return imageMean == null ? null : imageMean.clone();
    }

    /** A copy, or null when normalisation is off. */
    public double[] imageStd() {
        return imageStd == null ? null : imageStd.clone();
    }

    /** {@code image_processor_type} / {@code feature_extractor_type}, or null. */
    public String processorType() {
        return processorType;
    }

    @Override
    public String toString() {
        return "PreprocessorConfig{type=" + processorType + ", convertRgb=" + doConvertRgb + ", resize=" + (doResize ? size : "off")
                + ", resample=" + resample + ", centerCrop=" + (doCenterCrop ? cropSize : "off") + ", rescale="
                + (doRescale ? rescaleFactor : "off") + ", normalize=" + (doNormalize ? Arrays.toString(imageMean) + "/"
                + Arrays.toString(imageStd) : "off") + "}";
    }
}
