package io.lakelens.models.image;

import io.lakelens.models.image.ImageDecodeException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads an image's format, size and colour mode from its header, without decoding pixels. Meant
 * for scanning many files cheaply (the ingest job probes every image before deciding what to
 * decode). A probe that succeeds says nothing about the pixel data: a truncated JPEG probes fine
 * and fails in {@link ImageDecoder}.
 *
 * <p>Stateless and thread-safe.
 */
public final class ImageProbe {
    private ImageProbe() {
    }

    /**
     * @throws ImageDecodeException {@code EMPTY}, {@code NOT_AN_IMAGE}, {@code UNSUPPORTED},
     *                              or {@code TRUNCATED}/{@code CORRUPT} when the header itself is bad
     */
    public static ImageInfo probe(byte[] encoded) {
        Objects.requireNonNull(encoded, "encoded");
        if (encoded.length == 0) {
            throw new ImageDecodeException(Reason.EMPTY, "input has no bytes");
        }
        try (OpenedImage image = OpenedImage.open(new ByteArrayImageInputStream(encoded), encoded)) {
            return image.info;
        }
    }

    /**
     * Reads only as far into the stream as the header needs (for PNG palettes and TIFF files whose
     * directory sits at the end, that can be all of it). The stream is not closed.
     */
    public static ImageInfo probe(InputStream encoded) {
        Objects.requireNonNull(encoded, "encoded");
        try (ImageInputStream in = new MemoryCacheImageInputStream(encoded);
             OpenedImage image = OpenedImage.open(in, null)) {
            return image.info;
        } catch (IOException e) {
            throw new ImageDecodeException(Reason.CORRUPT, "cannot read input: " + e.getMessage(), e);
        }
    }
}
