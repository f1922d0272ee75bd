package io.lakelens.jobs.dashboard;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Small JPEG copies of stored images for the pages: at most {@link #MAX_SIDE} pixels on the longer
 * side, so a page of examples loads fast even when the originals are large.
 */
public final class Thumbnails {

    public static final int MAX_SIDE = 160;

    private Thumbnails() {}

    /**
     * The thumbnail of encoded image bytes (any format ImageIO reads), or a grey placeholder when they
     * cannot be decoded: a page must not break on one bad row.
     */
    public static byte[] of(byte[] encoded) {
        try {
            BufferedImage image = decode(encoded);
            return image == null ? placeholder() : jpeg(scale(image));
        } catch (IOException | RuntimeException e) {
            return placeholder();
        }
    }

    /** A flat grey square: what a thumbnail shows when the image cannot be decoded. */
    public static byte[] placeholder() {
        BufferedImage img = new BufferedImage(MAX_SIDE, MAX_SIDE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(0xe5e7eb));
        g.fillRect(0, 0, MAX_SIDE, MAX_SIDE);
        g.dispose();
        return jpeg(img);
    }

    /**
     * Decodes with subsampling to about twice the thumbnail size, so a 4000-pixel photo is never
     * fully decoded into memory.
     */
    private static BufferedImage decode(byte[] encoded) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int side = Math.max(reader.getWidth(0), reader.getHeight(0));
                ImageReadParam param = reader.getDefaultReadParam();
                int step = Math.max(1, side / (2 * MAX_SIDE));
                param.setSourceSubsampling(step, step, 0, 0);
                return reader.read(0, param);
            } finally {
                reader.dispose();
            }
        }
    }

    private static BufferedImage scale(BufferedImage src) {
        double factor = Math.min(1.0, (double) MAX_SIDE / Math.max(src.getWidth(), src.getHeight()));
        int w = Math.max(1, (int) Math.round(src.getWidth() * factor));
        int h = Math.max(1, (int) Math.round(src.getHeight() * factor));
        // RGB on white: JPEG has no alpha, and transparent pixels would otherwise turn black.
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    private static byte[] jpeg(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "jpeg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
