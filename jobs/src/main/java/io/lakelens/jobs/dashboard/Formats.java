package io.lakelens.jobs.dashboard;

import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the pages write numbers, times and image addresses. */
public final class Formats {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Formats() {}

    /**
     * Whole numbers and numbers from 1000 up as integers, others to 4 significant digits (0.8312,
     * 12.35): enough to compare runs without pretending to precision. Null and NaN give "–".
     */
    public static String number(Number value) {
        if (value == null || Double.isNaN(value.doubleValue())) {
            return "–";
        }
        double v = value.doubleValue();
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "-∞";
        }
        if ((v == Math.rint(v) || Math.abs(v) >= 1000) && Math.abs(v) < 1e15) {
            return Long.toString(Math.round(v));
        }
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** A value for a {@code data-value} attribute: the exact double as Java prints it, "" for null. */
    public static String exact(Number value) {
        return value == null ? "" : value.toString();
    }

    public static String time(Instant t) {
        return t == null ? "–" : TIME.format(t);
    }

    /** Milliseconds since the epoch, for chart x values. */
    public static String epochMillis(Instant t) {
        return t == null ? "" : Long.toString(t.toEpochMilli());
    }

    /** "3.2 s", "4 min 05 s", "2 h 07 min"; "–" while not finished. */
    public static String duration(Instant start, Instant end) {
        if (start == null || end == null) {
            return "–";
        }
        Duration d = Duration.between(start, end);
        if (d.toSeconds() < 60) {
            return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
        }
        if (d.toMinutes() < 60) {
            return String.format(Locale.ROOT, "%d min %02d s", d.toMinutes(), d.toSecondsPart());
        }
        return String.format(Locale.ROOT, "%d h %02d min", d.toHours(), d.toMinutesPart());
    }

    /**
     * An {@code <img src>} for an image's original location, or null when a browser could not load
     * it (cloud storage, unknown schemes, {@code javascript:} and the like are never emitted).
     */
    public static String imageUri(String uri) {
        if (uri == null || uri.isBlank()) {
            return null;
        }
        if (uri.startsWith("/")) {
            return Path.of(uri).toUri().toString();
        }
        try {
            String scheme = URI.create(uri).getScheme();
            if (scheme != null) {
                scheme = scheme.toLowerCase(Locale.ROOT);
                if (scheme.equals("http") || scheme.equals("https") || scheme.equals("file")) {
                    return uri;
                }
            }
        } catch (IllegalArgumentException e) {
            // not a URI: nothing a browser can load
        }
        return null;
    }
}
