package io.lakelens.jobs.inference;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * The console progress line of a long job: done/total, items per second and time left. Executors
 * add to a Spark accumulator as they finish batches; a driver thread prints every few seconds.
 */
public final class Progress implements AutoCloseable {

    private final String what;
    private final String unit;
    private final long total;
    private final PrintStream out;
    private final LongAccumulator done;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService timer;

    public Progress(SparkContext sc, String what, String unit, long total, PrintStream out, Duration every) {
        this.what = what;
        this.unit = unit;
        this.total = total;
        this.out = out;
        this.done = sc.longAccumulator(what + " " + unit + " done");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lakelens-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::print, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What executors add to. */
    public LongAccumulator accumulator() {
        return done;
    }

    /** Items done so far (as reported by finished tasks). */
    public long done() {
        return done.value();
    }

    public double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The current line, e.g. {@code embed: 1200/5000 images (24.0%), 23.1 images/s, ETA 2m44s}. */
    public String line() {
        long d = done.value();
        double s = seconds();
        double rate = s > 0 ? d / s : 0;
        String eta = rate > 0 && total > d ? format(Duration.ofSeconds((long) ((total - d) / rate))) : "-";
        return String.format(Locale.ROOT, "%s: %d/%d %s (%.1f%%), %.1f %s/s, ETA %s",
                what, d, total, unit, total == 0 ? 100.0 : 100.0 * d / total, rate, unit, eta);
    }

    private void print() {
        out.println(line());
        out.flush();
    }

    private static String format(Duration d) {
        long h = d.toHours();
        long m = d.toMinutesPart();
        long s = d.toSecondsPart();
        return h > 0 ? h + "h" + m + "m" : m > 0 ? m + "m" + s + "s" : s + "s";
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
