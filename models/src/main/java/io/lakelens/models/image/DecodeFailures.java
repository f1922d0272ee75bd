package io.lakelens.models.image;

import io.lakelens.models.image.ImageDecodeException.Reason;
import java.io.EOFException;
import java.util.List;
import java.util.Locale;

/** Turns what ImageIO readers throw or warn into an {@link ImageDecodeException} with a reason. */
final class DecodeFailures {
    private DecodeFailures() {
    }

    /**
     * Classifies a reader failure. {@code encoded} (may be null for streams) lets a PNG whose chunk
     * list runs past the end be called truncated even when the reader only says "invalid chunk".
     */
    static ImageDecodeException classify(Throwable failure, ImageFormat format, byte[] encoded) {
        if (failure instanceof ImageDecodeException) {
            return (ImageDecodeException) failure;
        }
        String what = format == null ? "image" : format.id();
        String detail = describe(failure);
        if (hasCause(failure, EOFException.class)) {
            return new ImageDecodeException(Reason.TRUNCATED, what + " data ends early: " + detail, failure);
        }
        if (format == ImageFormat.PNG && encoded != null && PngChunks.isTruncated(encoded)) {
            return new ImageDecodeException(Reason.TRUNCATED, "png chunks run past the end of the data: " + detail, failure);
        }
        if (failure instanceof UnsupportedOperationException || mentionsUnsupported(failure)) {
            return new ImageDecodeException(Reason.UNSUPPORTED, what + " variant not supported: " + detail, failure);
        }
        return new ImageDecodeException(Reason.CORRUPT, what + " is malformed: " + detail, failure);
    }

    /**
     * libjpeg does not fail on a cut-off JPEG: it warns, pads the rest with grey and carries on.
     * Pillow refuses such files ("image file is truncated"), so we turn the warning into a failure.
     */
    static ImageDecodeException truncationFromWarnings(List<String> warnings, ImageFormat format) {
        for (String warning : warnings) {
            String w = warning.toLowerCase(Locale.ROOT);
            if (w.contains("premature end of jpeg file") || w.contains("truncated file")) {
                return new ImageDecodeException(Reason.TRUNCATED, format.id() + " data ends early: " + warning);
            }
        }
        return null;
    }

    private static boolean mentionsUnsupported(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null) {
                String lower = m.toLowerCase(Locale.ROOT);
                if (lower.contains("unsupported") || lower.contains("not supported")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable failure) {
        StringBuilder s = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (s.length() > 0) {
                s.append(" <- ");
            }
            s.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                s.append(": ").append(t.getMessage());
            }
        }
        return s.toString();
    }
}
