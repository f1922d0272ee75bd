package io.lakelens.models.image;

import io.lakelens.models.image.ImageDecodeException.Reason;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Decodes PNG, JPEG, GIF, BMP, WebP and TIFF to 8-bit RGB with the pixel values Pillow's
 * {@code Image.open(f).convert("RGB")} gives, which is what Hugging Face's (slow) image processors
 * start from.
 *
 * <p>What "as Pillow" means here, mode by mode:
 * <ul>
 * <li>{@code L}: grey is copied to R, G and B. {@code 1}, 2- and 4-bit grey are widened to 0..255
 *     (multiplied by 255, 85, 17).</li>
 * <li>{@code RGBA}, {@code LA}: alpha is dropped, not composited; a fully transparent pixel keeps
 *     the colour stored in the file. We read the raster, never {@code getRGB} or {@code drawImage},
 *     which would premultiply or colour-manage.</li>
 * <li>{@code P}: palette entries are looked up; palette transparency is ignored.</li>
 * <li>16-bit PNG: Pillow keeps a 16-bit grey image as {@code I;16} and {@code convert("RGB")}
 *     <em>clamps</em> it (values above 255 become 255, so most 16-bit greys turn white). 16-bit
 *     RGB, RGBA and grey+alpha are cut to their high byte when Pillow loads them. We do the same.</li>
 * <li>JPEG: the components are read without colour conversion and converted with libjpeg's own
 *     YCbCr tables, so no ICC profile is applied (Pillow ignores profiles too). CMYK JPEGs are
 *     taken as Adobe-inverted, as Pillow always does ({@code rawmode "CMYK;I"}), YCCK is first
 *     turned into CMYK like libjpeg does, and CMYK becomes RGB with Pillow's formula
 *     {@code R = (255 - K) - round((255 - K) * C / 255)}.</li>
 * <li>EXIF orientation is <em>not</em> applied: Hugging Face processors do not apply it.</li>
 * <li>Truncated data is an error ({@code TRUNCATED}), as in Pillow, even where ImageIO would
 *     return a half-grey image with a warning.</li>
 * </ul>
 * Pixel-exact with Pillow 12.3 on every sample of the test corpus ({@code images/} in the test
 * resources): PNG in all colour types and bit depths, JPEG baseline and progressive with 4:4:4,
 * 4:2:2, 4:2:0 and 4:1:1 chroma, ICC-tagged, CMYK, plain CMYK and YCCK, GIF, BMP, lossless WebP
 * and TIFF. Known differences:
 * <ul>
 * <li>Lossy WebP is decoded by TwelveMonkeys' Java VP8 decoder, not libwebp: a few levels on
 *     average (mean 2.8, max 16 on a smooth q80 image; mean 7, max 54 on noise).</li>
 * <li>JPEG chroma upsampling is the JDK's libjpeg 6b; libjpeg-turbo also smooths 4:4:0 (h1v2)
 *     chroma, so such files may differ by a few levels (not in the corpus: Pillow cannot write them).</li>
 * <li>A GIF whose first frame is smaller than its canvas is refused ({@code UNSUPPORTED});
 *     Pillow would paint the frame onto the canvas.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe; each call uses its own ImageIO reader.
 */
public final class ImageDecoder {
    /** Pillow's {@code Image.MAX_IMAGE_PIXELS}: 1024 * 1024 * 1024 // 4 // 3. */
    public static final long PILLOW_MAX_IMAGE_PIXELS = 89_478_485L;

    // One RgbImage is a single Java array.
    private static final long MAX_ARRAY_PIXELS = (Integer.MAX_VALUE - 8) / 3;

    private final long maxPixels;

    /** A decoder with Pillow's default pixel limit. */
    public ImageDecoder() {
        this(PILLOW_MAX_IMAGE_PIXELS);
    }

    /**
     * @param maxPixels images whose header declares more than this many pixels fail with
     *                  {@code TOO_LARGE} before any pixel is decoded. Pillow only warns between
     *                  1x and 2x its limit; we refuse from 1x.
     */
    public ImageDecoder(long maxPixels) {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive: " + maxPixels);
        }
        this.maxPixels = Math.min(maxPixels, MAX_ARRAY_PIXELS);
    }

    public long maxPixels() {
        return maxPixels;
    }

    /**
     * @throws ImageDecodeException with a {@link Reason} for every kind of bad input
     */
    public RgbImage decode(byte[] encoded) {
        Objects.requireNonNull(encoded, "encoded");
        if (encoded.length == 0) {
            throw new ImageDecodeException(Reason.EMPTY, "input has no bytes");
        }
        try (OpenedImage image = OpenedImage.open(new ByteArrayImageInputStream(encoded), encoded)) {
            ImageInfo info = image.info;
            if (info.pixelCount() > maxPixels) {
                throw new ImageDecodeException(Reason.TOO_LARGE, info.format().id() + " declares " + info.width() + "x"
                        + info.height() + " = " + info.pixelCount() + " pixels, over the limit of " + maxPixels);
            }
            byte[] rgb;
            try {
                rgb = info.format() == ImageFormat.JPEG ? JpegRgb.decode(image) : decodeRaster(image);
            } catch (IOException | RuntimeException e) {
                ImageDecodeException truncated = DecodeFailures.truncationFromWarnings(image.warnings(), info.format());
                throw truncated != null ? truncated : DecodeFailures.classify(e, info.format(), encoded);
            }
            ImageDecodeException truncated = DecodeFailures.truncationFromWarnings(image.warnings(), info.format());
            if (truncated != null) {
                throw truncated;
            }
            return new RgbImage(info.width(), info.height(), rgb);
        }
    }

    /** Reads the whole stream, then as {@link #decode(byte[])}. The stream is not closed. */
    public RgbImage decode(InputStream encoded) {
        Objects.requireNonNull(encoded, "encoded");
        try {
            return decode(encoded.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] decodeRaster(OpenedImage image) throws IOException {
        BufferedImage decoded = image.reader.read(0, null);
        ImageInfo info = image.info;
        if (decoded.getWidth() != info.width() || decoded.getHeight() != info.height()) {
            throw new ImageDecodeException(Reason.UNSUPPORTED, info.format().id() + " first frame is " + decoded.getWidth()
                    + "x" + decoded.getHeight() + " inside a " + info.width() + "x" + info.height() + " canvas");
        }
        return RasterToRgb.convert(decoded, info);
    }
}
