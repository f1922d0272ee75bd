package io.lakelens.models.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Properties of the resize; exactness against Pillow is in the golden and corpus tests. */
class PillowBicubicResizeTest {

    @Test
    void sameSizeReturnsTheImageItself() {
        RgbImage image = PillowCorpusTest.resizeSource(13, 7);
        assertSame(image, PillowBicubicResize.resize(image, 13, 7));
    }

    @Test
    void flatImagesStayFlat() {
        // The fixed-point weights of a window sum to 1 within rounding, which must not show in 8 bits.
        for (int value : new int[] {0, 1, 128, 254, 255}) {
            for (int[] size : new int[][] {{100, 80, 7, 9}, {5, 3, 64, 50}, {31, 1, 1, 31}, {1, 40, 224, 224}}) {
                byte[] px = new byte[size[0] * size[1] * 3];
                Arrays.fill(px, (byte) value);
                RgbImage out = PillowBicubicResize.resize(new RgbImage(size[0], size[1], px), size[2], size[3]);
                for (byte b : out.pixels()) {
                    assertEquals(value, b & 0xFF, "value " + value + " size " + Arrays.toString(size));
                }
            }
        }
    }

    @Test
    void channelsDoNotMix() {
        RgbImage source = PillowCorpusTest.resizeSource(50, 40);
        byte[] redOnly = source.pixels().clone();
        for (int i = 0; i < redOnly.length; i += 3) {
            redOnly[i + 1] = 0;
            redOnly[i + 2] = 0;
        }
        RgbImage full = PillowBicubicResize.resize(source, 23, 61);
        RgbImage red = PillowBicubicResize.resize(new RgbImage(50, 40, redOnly), 23, 61);
        for (int i = 0; i < full.pixels().length; i += 3) {
            assertEquals(full.pixels()[i], red.pixels()[i]);
            assertEquals(0, red.pixels()[i + 1]);
        }
    }

    @Test
    void rejectsEmptyTargets() {
        RgbImage image = PillowCorpusTest.resizeSource(4, 4);
        assertThrows(IllegalArgumentException.class, () -> PillowBicubicResize.resize(image, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> PillowBicubicResize.resize(image, 4, -1));
    }

    @Test
    void weightsFollowPillowsWindow() {
        // Downscale 100 -> 32: scale 3.125, support 6.25, so output 0 (centre 1.5625) reads input
        // [0, 8) and output 31 (centre 98.4375) reads [92, 100).
        BicubicWeights w = BicubicWeights.of(100, 32);
        assertEquals(0, w.first[0]);
        assertEquals(8, w.count[0]);
        assertEquals(92, w.first[31]);
        assertEquals(8, w.count[31]);
        assertEquals(15, w.stride);
        int sum = 0;
        for (int t = 0; t < w.count[5]; t++) {
            sum += w.weights[5 * w.stride + t];
        }
        assertEquals(1 << BicubicWeights.PRECISION_BITS, sum, 2);
    }
}
