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

    /**
     * The readers' own words, outermost first ("Error reading PNG image data (Unexpected end of ZLIB
     * input stream)"): what a user can act on, without Java class names; the exception itself stays
     * attached as the cause for --verbose.
     */
    private static String describe(Throwable failure) {
        StringBuilder s = new StringBuilder();
        int open = 0;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : withoutClassName(t.getMessage().replaceAll("\\s+", " ").trim());
            if (m.isEmpty()) {
                m = humanName(t);
            }
            if (s.indexOf(m) >= 0) {
                continue; // wrappers often repeat their cause's message
            }
            if (s.length() > 0) {
                s.append(" (");
                open++;
            }
            s.append(m);
        }
        return s + ")".repeat(open);
    }

    /** A wrapper's message is often its cause's toString(): "javax.imageio.IIOException: ...". */
    private static String withoutClassName(String message) {
        return message.replaceAll("(^|\\s)([a-zA-Z_$][\\w$]*\\.)*[A-Z][\\w$]*(Exception|Error): ?", "$1").trim();
    }

    /** "EOFException" → "unexpected end of data"-style words for messageless exceptions. */
    private static String humanName(Throwable t) {
        if (t instanceof EOFException) {
            return "unexpected end of data";
        }
        String name = t.getClass().getSimpleName().replaceAll("(Exception|Error)$", "");
        return name.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT) + " error";
    }
}
