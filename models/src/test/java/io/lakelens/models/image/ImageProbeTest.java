package io.lakelens.models.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.models.image.ImageDecodeException.Reason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageProbeTest {

    @Test
    void streamAndBytesAgree() {
        for (String name : new String[] {"rgb_48x40.png", "rgb_40x64.jpg", "gray_64x48.png", "rgba_56x56.png"}) {
            byte[] bytes = TestImages.bytes(TestImages.resource("golden/clip-tiny/images/" + name));
            assertEquals(ImageProbe.probe(bytes), ImageProbe.probe(new ByteArrayInputStream(bytes)), name);
        }
    }

    @Test
    void readsOnlyTheHeaderOfALargeImage() {
        // A 1500x1500 noise PNG is about 6.75 MB; its header is in the first few hundred bytes.
        Random random = new Random(3);
        BufferedImage image = new BufferedImage(1500, 1500, BufferedImage.TYPE_3BYTE_BGR);
        byte[] data = ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData();
        random.nextBytes(data);
        byte[] png = EncodedImages.png(image);
        CountingStream counting = new CountingStream(new ByteArrayInputStream(png));
        ImageInfo info = ImageProbe.probe(counting);
        assertEquals(new ImageInfo(ImageFormat.PNG, 1500, 1500, "RGB", 8), info);
        assertTrue(counting.count < 64 * 1024, "read " + counting.count + " of " + png.length + " bytes");

        byte[] jpeg = EncodedImages.jpeg(image, 0.9f);
        counting = new CountingStream(new ByteArrayInputStream(jpeg));
        assertEquals(new ImageInfo(ImageFormat.JPEG, 1500, 1500, "RGB", 8), ImageProbe.probe(counting));
        assertTrue(counting.count < 64 * 1024, "read " + counting.count + " of " + jpeg.length + " bytes");
    }

    @Test
    void probingSaysNothingAboutThePixelData() {
        // A JPEG cut in half has an intact header: the probe succeeds, the decode does not.
        byte[] jpeg = TestImages.bytes(TestImages.resource("golden/clip-tiny/images/rgb_40x64.jpg"));
        byte[] half = Arrays.copyOf(jpeg, jpeg.length / 2);
        assertEquals(new ImageInfo(ImageFormat.JPEG, 40, 64, "RGB", 8), ImageProbe.probe(half));
        assertEquals(Reason.TRUNCATED, assertThrows(ImageDecodeException.class, () -> new ImageDecoder().decode(half)).reason());
    }

    @Test
    void badHeadersFailWithAReason() {
        assertEquals(Reason.EMPTY, assertThrows(ImageDecodeException.class, () -> ImageProbe.probe(new byte[0])).reason());
        assertEquals(Reason.NOT_AN_IMAGE,
                assertThrows(ImageDecodeException.class, () -> ImageProbe.probe("just text".getBytes())).reason());
        byte[] png = TestImages.bytes(TestImages.resource("golden/clip-tiny/images/rgb_48x40.png"));
        assertEquals(Reason.TRUNCATED,
                assertThrows(ImageDecodeException.class, () -> ImageProbe.probe(Arrays.copyOf(png, 20))).reason());
    }

    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
