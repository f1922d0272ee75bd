package io.lakelens.models.hub;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tries a network call a few times with exponential backoff. Connection failures, cut transfers
 * and 5xx/429 answers are retried; any other HTTP error is an answer and is not.
 */
final class Retry {
    private static final Logger LOG = LoggerFactory.getLogger(Retry.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    interface IoCall<T> {
        T call() throws IOException;
    }

    private final int maxAttempts;
    private final Duration initialBackoff;

    Retry(int maxAttempts, Duration initialBackoff) {
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
    }

    int maxAttempts() { return maxAttempts; }

    <T> T run(String what, IoCall<T> call) throws IOException {
        Duration backoff = initialBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (IOException e) {
                if (attempt >= maxAttempts || !isTransient(e)) {
                    throw e;
                }
                LOG.warn("{} failed ({}); attempt {} of {} in {} ms", what, describe(e), attempt + 1, maxAttempts, backoff.toMillis());
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    static boolean isTransient(IOException e) {
        if (e instanceof HubHttpException http) {
            return http.isTransient();
        }
        // A timeout is an InterruptedIOException too; only a real interrupt means "stop".
        return !Thread.currentThread().isInterrupted() && e.getClass() != InterruptedIOException.class;
    }

    /** Could not open a connection at all: DNS, refused, no route, connect timeout. */
    static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                    || t instanceof UnresolvedAddressException || t instanceof HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** A short reason for messages; the JDK's HTTP client often throws with a null message. */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host" + (t.getMessage() == null ? "" : " " + t.getMessage());
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t instanceof ConnectException ? "connection refused or failed: " + t.getMessage() : t.getMessage();
            }
        }
        return e instanceof ConnectException ? "connection refused or failed" : e.getClass().getSimpleName();
    }

    private static void sleep(Duration d) throws InterruptedIOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }
}
