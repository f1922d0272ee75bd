package io.lakelens.models.image;

import java.util.Objects;

/**
 * An encoded image that could not be read, with a {@link Reason} a job can store and count.
 *
 * <p>Unchecked on purpose: decoding runs inside Spark lambdas, where checked exceptions only get
 * wrapped. Callers that must not fail catch this one type and record {@code reason().code()}.
 */
public final class ImageDecodeException extends RuntimeException {

    /** Machine-readable cause. The {@link #code()} strings are stored in tables: never rename them. */
    public enum Reason {
        /** Zero bytes. */
        EMPTY("empty"),
        /** No image format recognised (text, HTML error pages, random bytes). */
        NOT_AN_IMAGE("not_an_image"),
        /** A recognised image whose data stops early. */
        TRUNCATED("truncated"),
        /** The header declares more pixels than the configured limit (decompression bomb guard). */
        TOO_LARGE("too_large"),
        /** A real image in a format, colour model or sample type this decoder does not handle. */
        UNSUPPORTED("unsupported"),
        /** A recognised image whose header or data is malformed. */
        CORRUPT("corrupt");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        /** Stable lower-case identifier, e.g. {@code "too_large"}. */
        public String code() {
            return code;
        }
    }

    private final Reason reason;

    public ImageDecodeException(Reason reason, String message) {
        this(reason, message, null);
    }

    public ImageDecodeException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
