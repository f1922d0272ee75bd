package io.lakelens.models.image;

import io.lakelens.models.image.PreprocessorConfig.HeightWidth;
import io.lakelens.models.image.PreprocessorConfig.ShortestEdge;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Hugging Face's slow {@code CLIPImageProcessor} / {@code BlipImageProcessor} in Java: encoded
 * bytes or an {@link RgbImage} in, {@code pixel_values} out (float32, channels first, 3 x H x W),
 * matching the Python output to the last bit when the decoded pixels match Pillow's.
 *
 * <p>The steps, each as Hugging Face does it:
 * <ol>
 * <li>RGB: {@link ImageDecoder} already gives Pillow's {@code convert("RGB")}. It is applied even
 *     when {@code do_convert_rgb} is false, since the models need three channels.</li>
 * <li>Resize ({@code do_resize}) with {@link PillowBicubicResize}. {@code {"shortest_edge": S}}:
 *     the shorter side becomes S and the longer {@code int(S * long / short)}, truncated, as
 *     {@code get_resize_output_image_size(default_to_square=False)}. {@code {"height", "width"}}:
 *     exactly that size.</li>
 * <li>Centre crop ({@code do_center_crop}): {@code top = (H - crop_h) // 2},
 *     {@code left = (W - crop_w) // 2} (floor division). Where the image is smaller than the crop,
 *     Hugging Face pads it with zeros centred, which is the same as reading pixel
 *     (top + r, left + c) and taking 0 outside the image; that is what we do.</li>
 * <li>Rescale: {@code (float) (v * rescale_factor)} in double, then cast, as numpy's float64
 *     multiply and float32 cast.</li>
 * <li>Normalise: {@code (x - mean) / std} in float32 with mean and std cast to float32.</li>
 * </ol>
 * Since steps 4 and 5 depend only on the 8-bit value and the channel, they are tabulated once
 * (3 x 256 floats) and steps 3 to 5 run as one pass that writes the output.
 *
 * <p>Only {@code resample = 3} (bicubic) is supported; other filters are refused when the
 * processor is built rather than silently approximated. Immutable and thread-safe.
 */
public final class ImagePreprocessor {

    /**
     * Where an input of a given size goes.
     *
     * @param cropTop  first resized row that lands in the output; negative when the output is
     *                 padded above (the resized image is shorter than the crop)
     * @param cropLeft likewise for columns
     */
    public record Geometry(int resizedWidth, int resizedHeight, int cropTop, int cropLeft, int outputWidth, int outputHeight) {

        /** Number of floats in {@code pixel_values}: 3 x outputHeight x outputWidth. */
        public int outputLength() {
            return 3 * outputHeight * outputWidth;
        }
    }

    private final PreprocessorConfig config;
    private final ImageDecoder decoder;
    /** {@code pixelValue[c][v]}: the output float for 8-bit value v in channel c. */
    private final float[][] pixelValue;

    public ImagePreprocessor(PreprocessorConfig config) {
        this(config, new ImageDecoder());
    }

    public ImagePreprocessor(PreprocessorConfig config, ImageDecoder decoder) {
        this.config = Objects.requireNonNull(config, "config");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        if (config.doResize() && config.resample() != PreprocessorConfig.RESAMPLE_BICUBIC) {
            throw new UnsupportedOperationException("resample=" + config.resample() + " (" + filterName(config.resample())
                    + ") is not supported: only 3 (bicubic) is implemented, bit-exact with Pillow");
        }
        this.pixelValue = tabulate(config);
    }

    /** Reads {@code preprocessor_config.json}. */
    public static ImagePreprocessor fromConfig(Path preprocessorConfigJson) {
        return new ImagePreprocessor(PreprocessorConfig.fromJson(preprocessorConfigJson));
    }

    public PreprocessorConfig config() {
        return config;
    }

    public ImageDecoder decoder() {
        return decoder;
    }

    /** The output size when it does not depend on the input (a crop or an exact resize); empty otherwise. */
    public Optional<HeightWidth> fixedOutputSize() {
        if (config.doCenterCrop()) {
            return Optional.of(config.cropSize());
        }
        if (config.doResize() && config.size() instanceof HeightWidth) {
            return Optional.of((HeightWidth) config.size());
        }
        return Optional.empty();
    }

    /** Sizes and crop offsets for an input of {@code width} x {@code height}. */
    public Geometry geometry(int width, int height) {
        int resizedWidth = width;
        int resizedHeight = height;
        if (config.doResize()) {
            if (config.size() instanceof ShortestEdge) {
                int edge = ((ShortestEdge) config.size()).edge();
                int shortSide = Math.min(width, height);
                int longSide = Math.max(width, height);
                // Python: int(edge * long / short); the product is exact and / rounds once, like Java's double /.
                int newLong = (int) ((double) ((long) edge * longSide) / shortSide);
                resizedWidth = width <= height ? edge : newLong;
                resizedHeight = width <= height ? newLong : edge;
            } else {
                HeightWidth size = (HeightWidth) config.size();
                resizedWidth = size.width();
                resizedHeight = size.height();
            }
        }
        if (!config.doCenterCrop()) {
            return new Geometry(resizedWidth, resizedHeight, 0, 0, resizedWidth, resizedHeight);
        }
        HeightWidth crop = config.cropSize();
        return new Geometry(resizedWidth, resizedHeight, Math.floorDiv(resizedHeight - crop.height(), 2),
                Math.floorDiv(resizedWidth - crop.width(), 2), crop.width(), crop.height());
    }

    /** The image after the resize step and before the crop: Hugging Face's uint8 intermediate. */
    public RgbImage resize(RgbImage image) {
        Geometry g = geometry(image.width(), image.height());
        return PillowBicubicResize.resize(image, g.resizedWidth(), g.resizedHeight());
    }

    /** Decodes and preprocesses; see {@link ImageDecoder#decode(byte[])} for the failures. */
    public float[] preprocess(byte[] encoded) {
        return preprocess(decoder.decode(encoded));
    }

    public float[] preprocess(RgbImage image) {
        Geometry g = geometry(image.width(), image.height());
        float[] out = new float[g.outputLength()];
        write(resize(image), g, out, 0);
        return out;
    }

    /**
     * Writes {@code pixel_values} for one image into {@code dst} starting at {@code offset}, so
     * that a batch can be filled in place: image i of a batch of fixed-size outputs goes at
     * {@code i * geometry.outputLength()}.
     *
     * @return where the image went, including the number of floats written
     * @throws IllegalArgumentException when {@code dst} has no room from {@code offset}
     */
    public Geometry preprocessInto(RgbImage image, float[] dst, int offset) {
        Geometry g = geometry(image.width(), image.height());
        if (offset < 0 || offset > dst.length - g.outputLength()) {
            throw new IllegalArgumentException("need " + g.outputLength() + " floats at offset " + offset + ", array has " + dst.length);
        }
        write(resize(image), g, dst, offset);
        return g;
    }

    /** Decodes, then as {@link #preprocessInto(RgbImage, float[], int)}. */
    public Geometry preprocessInto(byte[] encoded, float[] dst, int offset) {
        return preprocessInto(decoder.decode(encoded), dst, offset);
    }

    /** Crop (or zero-pad), rescale and normalise in one pass, writing channels first. */
    private void write(RgbImage resized, Geometry g, float[] dst, int offset) {
        byte[] px = resized.pixels();
        int width = resized.width();
        int height = resized.height();
        int plane = g.outputWidth() * g.outputHeight();
        for (int c = 0; c < 3; c++) {
            float[] value = pixelValue[c];
            float padding = value[0];
            int o = offset + c * plane;
            for (int r = 0; r < g.outputHeight(); r++) {
                int y = g.cropTop() + r;
                boolean rowInside = y >= 0 && y < height;
                for (int col = 0; col < g.outputWidth(); col++, o++) {
                    int x = g.cropLeft() + col;
                    dst[o] = rowInside && x >= 0 && x < width ? value[px[(y * width + x) * 3 + c] & 0xFF] : padding;
                }
            }
        }
    }

    private static float[][] tabulate(PreprocessorConfig config) {
        double[] mean = config.imageMean();
        double[] std = config.imageStd();
        float[][] table = new float[3][256];
        for (int c = 0; c < 3; c++) {
            float m = config.doNormalize() ? (float) mean[c] : 0f;
            float s = config.doNormalize() ? (float) std[c] : 1f;
            for (int v = 0; v < 256; v++) {
                float x = config.doRescale() ? (float) (v * config.rescaleFactor()) : (float) v;
                table[c][v] = config.doNormalize() ? (x - m) / s : x;
            }
        }
        return table;
    }

    private static String filterName(int resample) {
        switch (resample) {
            case 0: return "nearest";
            case 1: return "lanczos";
            case 2: return "bilinear";
            case 4: return "box";
            case 5: return "hamming";
            default: return "unknown";
        }
    }
}
