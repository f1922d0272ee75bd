package io.lakelens.models.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.models.image.ImageDecodeException.Reason;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bad inputs give the right reason; generated images in awkward modes decode to Pillow's RGB. */
class ImageDecoderTest {
    private static final byte[] GOLDEN_PNG = TestImages.bytes(TestImages.resource("golden/clip-tiny/images/rgb_48x40.png"));
    private static final byte[] GOLDEN_JPEG = TestImages.bytes(TestImages.resource("golden/clip-tiny/images/rgb_40x64.jpg"));

    private final ImageDecoder decoder = new ImageDecoder();

    private Reason failureOf(byte[] encoded) {
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(encoded));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        return e.reason();
    }

    @Test
    void zeroBytesAreEmpty() {
        assertEquals(Reason.EMPTY, failureOf(new byte[0]));
        assertEquals(Reason.EMPTY, assertThrows(ImageDecodeException.class,
                () -> ImageProbe.probe(new ByteArrayInputStream(new byte[0]))).reason());
    }

    @Test
    void randomBytesAreNotAnImage() {
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            byte[] noise = new byte[1 + random.nextInt(4096)];
            random.nextBytes(noise);
            assertEquals(Reason.NOT_AN_IMAGE, failureOf(noise), "noise #" + i);
        }
    }

    @Test
    void textIsNotAnImage() {
        assertEquals(Reason.NOT_AN_IMAGE, failureOf("hello, I am a caption, not a picture\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Reason.NOT_AN_IMAGE, failureOf("<!DOCTYPE html><html><body>404 Not Found</body></html>".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Reason.NOT_AN_IMAGE, failureOf(new byte[64])); // zeros: WBMP's reader would claim them
    }

    @Test
    void truncatedPngIsTruncated() {
        for (int cut : new int[] {GOLDEN_PNG.length / 2, 100, 40, 30}) {
            assertEquals(Reason.TRUNCATED, failureOf(Arrays.copyOf(GOLDEN_PNG, cut)), "cut at " + cut);
        }
        // Pillow also accepts a PNG that only lacks its IEND chunk; so do we.
        decoder.decode(Arrays.copyOf(GOLDEN_PNG, GOLDEN_PNG.length - 12));
    }

    @Test
    void truncatedJpegIsTruncated() {
        // ImageIO alone would return these with grey filling the missing part and a warning.
        for (int cut : new int[] {GOLDEN_JPEG.length / 2, GOLDEN_JPEG.length - 200, GOLDEN_JPEG.length - 2}) {
            assertEquals(Reason.TRUNCATED, failureOf(Arrays.copyOf(GOLDEN_JPEG, cut)), "cut at " + cut);
        }
    }

    @Test
    void decompressionBombIsRefusedBeforeDecoding() {
        // 50000 x 50000 RGB declared (7.5 GB decoded), a few bytes of zlib data.
        byte[] bomb = EncodedImages.handMadePng(50_000, 50_000, 8, 2, new byte[1 + 3 * 16]);
        assertTrue(bomb.length < 200);
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(bomb));
        assertEquals(Reason.TOO_LARGE, e.reason());
        assertTrue(e.getMessage().contains("2500000000"), e.getMessage());
        // The header alone is fine to look at.
        ImageInfo info = ImageProbe.probe(bomb);
        assertEquals(50_000, info.width());
        assertEquals(2_500_000_000L, info.pixelCount());
    }

    @Test
    void pixelLimitIsConfigurable() {
        assertEquals(ImageDecoder.PILLOW_MAX_IMAGE_PIXELS, decoder.maxPixels());
        ImageDecoder strict = new ImageDecoder(48 * 40 - 1);
        assertEquals(Reason.TOO_LARGE, assertThrows(ImageDecodeException.class, () -> strict.decode(GOLDEN_PNG)).reason());
        new ImageDecoder(48 * 40).decode(GOLDEN_PNG);
        assertThrows(IllegalArgumentException.class, () -> new ImageDecoder(0));
    }

    @Test
    void malformedHeaderIsCorrupt() {
        // Bit depth 3 does not exist in PNG.
        assertEquals(Reason.CORRUPT, failureOf(EncodedImages.handMadePng(4, 4, 3, 0, new byte[4 * 3])));
        // A JPEG start-of-image followed by junk.
        byte[] junkJpeg = new byte[200];
        junkJpeg[0] = (byte) 0xFF;
        junkJpeg[1] = (byte) 0xD8;
        junkJpeg[2] = (byte) 0xFF;
        Arrays.fill(junkJpeg, 3, junkJpeg.length, (byte) 0x17);
        Reason reason = failureOf(junkJpeg);
        assertTrue(reason == Reason.CORRUPT || reason == Reason.TRUNCATED, reason.toString());
    }

    @Test
    void knownButUnsupportedFormatsAreUnsupported() {
        byte[] avif = Arrays.copyOf("\0\0\0\u001cftypavif\0\0\0\0avifmif1".getBytes(StandardCharsets.ISO_8859_1), 64);
        assertEquals(Reason.UNSUPPORTED, failureOf(avif));
        byte[] psd = Arrays.copyOf("8BPS\0\1".getBytes(StandardCharsets.ISO_8859_1), 64);
        assertEquals(Reason.UNSUPPORTED, failureOf(psd));
    }

    @Test
    void gifFrameSmallerThanItsCanvasIsRefused() {
        BufferedImage frame = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_INDEXED);
        byte[] gif = EncodedImages.write(frame, "gif");
        assertEquals(new ImageInfo(ImageFormat.GIF, 2, 2, "P", 8), ImageProbe.probe(gif));
        decoder.decode(gif);
        // Widen the logical screen (bytes 6..9, little-endian) to 5x4; the frame stays 2x2.
        gif[6] = 5;
        gif[8] = 4;
        assertEquals(new ImageInfo(ImageFormat.GIF, 5, 4, "P", 8), ImageProbe.probe(gif)); // Pillow's size
        assertEquals(Reason.UNSUPPORTED, failureOf(gif));
    }

    @Test
    void reasonCodesAreStable() {
        assertEquals("empty", Reason.EMPTY.code());
        assertEquals("not_an_image", Reason.NOT_AN_IMAGE.code());
        assertEquals("truncated", Reason.TRUNCATED.code());
        assertEquals("too_large", Reason.TOO_LARGE.code());
        assertEquals("unsupported", Reason.UNSUPPORTED.code());
        assertEquals("corrupt", Reason.CORRUPT.code());
    }

    @Test
    void cmykJpegUsesPillowsInvertedConvention() {
        // A flat CMYK raster so JPEG loss is negligible; the JDK writer stores it without an Adobe
        // marker, which Pillow still reads as Adobe-inverted (stored 0 = full ink).
        int[] stored = {200, 100, 50, 30};
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 16, 16, 4, null);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                raster.setPixel(x, y, stored);
            }
        }
        byte[] jpeg = EncodedImages.jpegOfRaster(raster, 1.0f);
        assertEquals("CMYK", ImageProbe.probe(jpeg).mode());
        RgbImage rgb = decoder.decode(jpeg);
        // Pillow: C,M,Y,K = 255 - stored = 55,155,205,225; R = (255-K) - round(C*(255-K)/255) ...
        int[] expected = {30 - 6, 30 - 18, 30 - 24};
        for (int c = 0; c < 3; c++) {
            assertTrue(Math.abs(rgb.get(7, 7, c) - expected[c]) <= 1, "channel " + c + ": " + rgb.get(7, 7, c));
        }
    }

    @Test
    void palettePngLooksUpColoursAndIgnoresPaletteAlpha() {
        byte[] r = {0, (byte) 255, 10, 40};
        byte[] g = {0, 0, (byte) 200, 50};
        byte[] b = {0, 0, 30, 60};
        byte[] a = {(byte) 255, (byte) 255, (byte) 255, 0};
        IndexColorModel palette = new IndexColorModel(8, 4, r, g, b, a);
        BufferedImage image = new BufferedImage(5, 3, BufferedImage.TYPE_BYTE_INDEXED, palette);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                image.getRaster().setSample(x, y, 0, (x + y) % 4);
            }
        }
        byte[] png = EncodedImages.png(image);
        assertEquals("P", ImageProbe.probe(png).mode());
        RgbImage rgb = decoder.decode(png);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                int i = (x + y) % 4;
                assertArrayEquals(new int[] {r[i] & 0xFF, g[i] & 0xFF, b[i] & 0xFF},
                        new int[] {rgb.get(x, y, 0), rgb.get(x, y, 1), rgb.get(x, y, 2)}, "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void sixteenBitGreyPngIsClampedLikePillow() {
        int[] values = {0, 100, 255, 256, 1000, 65535};
        BufferedImage image = new BufferedImage(values.length, 1, BufferedImage.TYPE_USHORT_GRAY);
        for (int x = 0; x < values.length; x++) {
            image.getRaster().setSample(x, 0, 0, values[x]);
        }
        byte[] png = EncodedImages.png(image);
        ImageInfo info = ImageProbe.probe(png);
        assertEquals("I;16", info.mode());
        assertEquals(16, info.bitsPerSample());
        RgbImage rgb = decoder.decode(png);
        int[] expected = {0, 100, 255, 255, 255, 255}; // Pillow's I;16 -> RGB clamps, it does not scale
        for (int x = 0; x < values.length; x++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(expected[x], rgb.get(x, 0, c), "value " + values[x]);
            }
        }
    }

    @Test
    void sixteenBitRgbPngKeepsTheHighByte() {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(3, 1);
        raster.setPixel(0, 0, new int[] {0x0000, 0x00FF, 0x0100});
        raster.setPixel(1, 0, new int[] {0x1234, 0x80FF, 0xFFFF});
        raster.setPixel(2, 0, new int[] {0xFF00, 0x7F80, 0x0001});
        byte[] png = EncodedImages.png(EncodedImages.withModel(model, raster));
        ImageInfo info = ImageProbe.probe(png);
        assertEquals("RGB", info.mode());
        assertEquals(16, info.bitsPerSample());
        assertArrayEquals(new byte[] {0, 0, 1, 0x12, (byte) 0x80, (byte) 0xFF, (byte) 0xFF, 0x7F, 0}, decoder.decode(png).pixels());
    }

    @Test
    void greyAlphaPngDropsAlphaAndKeepsHiddenGrey() {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = model.createCompatibleWritableRaster(3, 1);
        raster.setPixel(0, 0, new int[] {17, 0}); // fully transparent, grey still stored
        raster.setPixel(1, 0, new int[] {128, 128});
        raster.setPixel(2, 0, new int[] {250, 255});
        byte[] png = EncodedImages.png(EncodedImages.withModel(model, raster));
        assertEquals("LA", ImageProbe.probe(png).mode());
        assertArrayEquals(new byte[] {17, 17, 17, (byte) 128, (byte) 128, (byte) 128, (byte) 250, (byte) 250, (byte) 250},
                decoder.decode(png).pixels());
    }

    @Test
    void transparentRgbaPixelsKeepTheirStoredColour() {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0x000A141E); // alpha 0, colour (10, 20, 30)
        image.setRGB(1, 0, 0x80FF8040);
        byte[] png = EncodedImages.png(image);
        assertEquals("RGBA", ImageProbe.probe(png).mode());
        assertArrayEquals(new byte[] {10, 20, 30, (byte) 255, (byte) 128, 64}, decoder.decode(png).pixels());
    }

    @Test
    void decodeFromStreamEqualsDecodeFromBytes() {
        RgbImage fromBytes = decoder.decode(GOLDEN_JPEG);
        RgbImage fromStream = decoder.decode(new ByteArrayInputStream(GOLDEN_JPEG));
        assertArrayEquals(fromBytes.pixels(), fromStream.pixels());
    }
}
