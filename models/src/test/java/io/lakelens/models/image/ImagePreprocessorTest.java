package io.lakelens.models.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.models.image.ImagePreprocessor.Geometry;
import io.lakelens.models.image.PreprocessorConfig.HeightWidth;
import io.lakelens.models.image.PreprocessorConfig.ShortestEdge;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ImagePreprocessorTest {
    private static final double[] CLIP_MEAN = {0.48145466, 0.4578275, 0.40821073};
    private static final double[] CLIP_STD = {0.26862954, 0.26130258, 0.27577711};
    private static final String[] GOLDEN = {"rgb_48x40.png", "rgb_40x64.jpg", "rgb_100x100.png", "gray_64x48.png",
        "rgba_56x56.png", "rgb_32x32.png", "rgb_48x48_420.jpg"};

    private static ImagePreprocessor clip(int shortestEdge, int crop) {
        return new ImagePreprocessor(new PreprocessorConfig(true, true, new ShortestEdge(shortestEdge), 3, true,
                new HeightWidth(crop, crop), true, 1.0 / 255, true, CLIP_MEAN, CLIP_STD, "CLIPImageProcessor"));
    }

    private static ImagePreprocessor cropOnly(int cropHeight, int cropWidth) {
        return new ImagePreprocessor(new PreprocessorConfig(true, false, null, 3, true,
                new HeightWidth(cropHeight, cropWidth), true, 1.0 / 255, true, CLIP_MEAN, CLIP_STD, null));
    }

    @Test
    void shortestEdgeTruncatesTheLongSide() {
        ImagePreprocessor p = clip(224, 224);
        assertEquals(new Geometry(298, 224, 0, 37, 224, 224), p.geometry(640, 480)); // int(224 * 640 / 480) = 298
        assertEquals(new Geometry(224, 298, 37, 0, 224, 224), p.geometry(480, 640));
        assertEquals(new Geometry(224, 224, 0, 0, 224, 224), p.geometry(224, 224));
        assertEquals(new Geometry(224, 224_000, 111_888, 0, 224, 224), p.geometry(1, 1000));
        assertEquals(Optional.of(new HeightWidth(224, 224)), p.fixedOutputSize());
    }

    /**
     * Hugging Face's {@code center_crop} written out literally: pad to at least the crop size with
     * zeros, centred with ceil, shift the offsets, slice. Returns, per output pixel, the source
     * index y * w + x or -1 for padding.
     */
    private static int[] huggingFaceCenterCrop(int h, int w, int cropH, int cropW) {
        int top = Math.floorDiv(h - cropH, 2);
        int left = Math.floorDiv(w - cropW, 2);
        int[] out = new int[cropH * cropW];
        if (top >= 0 && top + cropH <= h && left >= 0 && left + cropW <= w) {
            for (int r = 0; r < cropH; r++) {
                for (int c = 0; c < cropW; c++) {
                    out[r * cropW + c] = (top + r) * w + left + c;
                }
            }
            return out;
        }
        int newH = Math.max(cropH, h);
        int newW = Math.max(cropW, w);
        int[] padded = new int[newH * newW];
        java.util.Arrays.fill(padded, -1);
        int topPad = (int) Math.ceil((newH - h) / 2.0);
        int leftPad = (int) Math.ceil((newW - w) / 2.0);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                padded[(topPad + y) * newW + leftPad + x] = y * w + x;
            }
        }
        int y0 = Math.max(0, top + topPad);
        int x0 = Math.max(0, left + leftPad);
        int y1 = Math.min(newH, top + topPad + cropH);
        int x1 = Math.min(newW, left + leftPad + cropW);
        assertEquals(cropH, y1 - y0);
        assertEquals(cropW, x1 - x0);
        for (int r = 0; r < cropH; r++) {
            for (int c = 0; c < cropW; c++) {
                out[r * cropW + c] = padded[(y0 + r) * newW + x0 + c];
            }
        }
        return out;
    }

    @Test
    void centreCropPadsSmallImagesLikeHuggingFace() {
        int cropH = 12;
        int cropW = 11;
        ImagePreprocessor p = cropOnly(cropH, cropW);
        for (int h = 1; h <= 20; h++) {
            for (int w = 1; w <= 20; w++) {
                byte[] px = new byte[w * h * 3];
                for (int i = 0; i < w * h; i++) {
                    px[3 * i] = (byte) (1 + i % 250); // never 0, so padding is recognisable
                    px[3 * i + 1] = (byte) (i / 250);
                    px[3 * i + 2] = 9;
                }
                float[] actual = p.preprocess(new RgbImage(w, h, px));
                int[] source = huggingFaceCenterCrop(h, w, cropH, cropW);
                float[] expected = new float[3 * source.length];
                for (int c = 0; c < 3; c++) {
                    for (int i = 0; i < source.length; i++) {
                        expected[c * source.length + i] = clipValue(source[i] < 0 ? 0 : px[source[i] * 3 + c] & 0xFF, c);
                    }
                }
                assertArrayEquals(expected, actual, h + "x" + w);
            }
        }
    }

    /** Rescale then normalise, as numpy does it: float64 multiply, float32 cast, float32 arithmetic. */
    private static float clipValue(int v, int c) {
        float x = (float) (v * (1.0 / 255));
        return (x - (float) CLIP_MEAN[c]) / (float) CLIP_STD[c];
    }

    @Test
    void rescaleAndNormaliseAreFloat32LikeNumpy() {
        ImagePreprocessor p = cropOnly(1, 1);
        for (int v = 0; v < 256; v++) {
            float[] out = p.preprocess(new RgbImage(1, 1, new byte[] {(byte) v, (byte) v, (byte) v}));
            for (int c = 0; c < 3; c++) {
                assertEquals(Float.floatToIntBits(clipValue(v, c)), Float.floatToIntBits(out[c]), "v=" + v + " c=" + c);
            }
        }
        ImagePreprocessor raw = new ImagePreprocessor(new PreprocessorConfig(true, false, null, 3, false, null, false, 0,
                false, null, null, null));
        assertArrayEquals(new float[] {7, 200, 3, 255, 0, 1}, raw.preprocess(new RgbImage(2, 1, new byte[] {7, 3, 0, (byte) 200, (byte) 255, 1})));
        assertEquals(Optional.empty(), raw.fixedOutputSize());
    }

    @Test
    void preprocessIntoFillsABatchInPlace() {
        ImagePreprocessor p = clip(32, 32);
        int length = 3 * 32 * 32;
        float[] batch = new float[2 * length + 5];
        List<float[]> singles = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            byte[] encoded = TestImages.bytes(TestImages.resource("golden/clip-tiny/images/" + GOLDEN[i]));
            singles.add(p.preprocess(encoded));
            Geometry g = p.preprocessInto(encoded, batch, 5 + i * length);
            assertEquals(length, g.outputLength());
        }
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(singles.get(i), java.util.Arrays.copyOfRange(batch, 5 + i * length, 5 + (i + 1) * length));
        }
        RgbImage image = new RgbImage(32, 32, new byte[32 * 32 * 3]);
        assertThrows(IllegalArgumentException.class, () -> p.preprocessInto(image, batch, batch.length - length + 1));
        assertThrows(IllegalArgumentException.class, () -> p.preprocessInto(image, batch, -1));
    }

    @Test
    void concurrentCallsGiveTheSameAnswer() throws Exception {
        ImagePreprocessor p = ImagePreprocessor.fromConfig(TestImages.resource("golden/clip-tiny/preprocessor_config.json"));
        List<byte[]> files = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (String name : GOLDEN) {
            byte[] encoded = TestImages.bytes(TestImages.resource("golden/clip-tiny/images/" + name));
            files.add(encoded);
            expected.add(p.preprocess(encoded));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    for (int round = 0; round < 20; round++) {
                        for (int i = 0; i < files.size(); i++) {
                            if (!java.util.Arrays.equals(expected.get(i), p.preprocess(files.get(i)))) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
