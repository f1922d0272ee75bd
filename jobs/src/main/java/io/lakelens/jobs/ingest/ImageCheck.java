package io.lakelens.jobs.ingest;

import io.lakelens.models.image.ImageDecodeException;
import io.lakelens.models.image.ImageDecoder;
import io.lakelens.models.image.ImageInfo;
import io.lakelens.models.image.ImageProbe;

/**
 * Decides whether bytes are an image lakelens can use, with the facts ingest records: format, size
 * and colour mode from the header, then (unless header-only) a full decode, which is what finds
 * truncated and corrupt files. Pixel limits are checked from the header before any decoding.
 */
final class ImageCheck {

    /** The facts of a good image, or a reason code and message for a bad one. */
    record Result(String format, Integer width, Integer height, String colorMode, String reasonCode, String reason) {
        static Result bad(String code, String reason) {
            return new Result(null, null, null, null, code, reason);
        }
    }

    private final long maxPixels;
    private final boolean fullDecode;
    private final ImageDecoder decoder;

    ImageCheck(long maxPixels, boolean fullDecode) {
        this.maxPixels = maxPixels;
        this.fullDecode = fullDecode;
        this.decoder = new ImageDecoder(maxPixels);
    }

    Result inspect(byte[] bytes) {
        try {
            ImageInfo info = ImageProbe.probe(bytes);
            long pixels = info.pixelCount();
            if (pixels > maxPixels) {
                return Result.bad("TOO_LARGE", "image claims " + info.width() + "x" + info.height() + " = " + pixels
                        + " pixels, over the limit of " + maxPixels + " (possible decompression bomb; --max-pixels)");
            }
            if (fullDecode) {
                decoder.decode(bytes);
            }
            return new Result(info.format().id(), info.width(), info.height(), info.mode(), null, null);
        } catch (ImageDecodeException e) {
            return Result.bad(e.reason().name(), e.getMessage());
        } catch (RuntimeException | OutOfMemoryError e) {
            return Result.bad("CORRUPT", "decoder failed: " + e);
        }
    }
}
