package io.lakelens.models.image;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Test resources and comparisons shared by the image tests. */
final class TestImages {
    private TestImages() {
    }

    /** A file under {@code src/test/resources}, e.g. {@code "golden/clip-tiny/golden.json"}. */
    static Path resource(String relative) {
        URL url = TestImages.class.getResource("/" + relative);
        if (url == null) {
            throw new IllegalArgumentException("no test resource " + relative);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads an 8-bit RGB or grey PNG with plain ImageIO, independently of {@link ImageDecoder}, so
     * that reference images do not depend on the code under test.
     */
    static RgbImage readReferencePng(Path file) {
        try {
            BufferedImage image = ImageIO.read(file.toFile());
            Raster raster = image.getRaster();
            int w = image.getWidth();
            int h = image.getHeight();
            int bands = raster.getNumBands();
            if (raster.getSampleModel().getSampleSize(0) != 8 || (bands != 3 && bands != 1)) {
                throw new IllegalArgumentException(file + " is not an 8-bit RGB or grey PNG");
            }
            byte[] px = new byte[w * h * 3];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int c = 0; c < 3; c++) {
                        px[(y * w + x) * 3 + c] = (byte) raster.getSample(x, y, bands == 1 ? 0 : c);
                    }
                }
            }
            return new RgbImage(w, h, px);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Mean |a - b| over all samples; the images must have the same size. */
    static double meanDiff(RgbImage a, RgbImage b) {
        maxDiff(a, b);
        long sum = 0;
        byte[] pa = a.pixels();
        byte[] pb = b.pixels();
        for (int i = 0; i < pa.length; i++) {
            sum += Math.abs((pa[i] & 0xFF) - (pb[i] & 0xFF));
        }
        return (double) sum / pa.length;
    }

    /** Largest |a - b| over all samples; the images must have the same size. */
    static int maxDiff(RgbImage a, RgbImage b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new AssertionError("size " + a.width() + "x" + a.height() + " != " + b.width() + "x" + b.height());
        }
        int max = 0;
        byte[] pa = a.pixels();
        byte[] pb = b.pixels();
        for (int i = 0; i < pa.length; i++) {
            max = Math.max(max, Math.abs((pa[i] & 0xFF) - (pb[i] & 0xFF)));
        }
        return max;
    }
}
