package io.lakelens.models.hub;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the Hub is, where its files are cached, and how hard to try. Each setting comes from the
 * builder if set there, else from the environment, else from a default; explicit beats ambient.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>Setting</th><th>Environment</th><th>Default</th></tr>
 *   <tr><td>cacheDir</td><td>{@code LAKELENS_HUB_CACHE}</td><td>{@code ~/.cache/lakelens/hub}</td></tr>
 *   <tr><td>endpoint</td><td>{@code HF_ENDPOINT}</td><td>{@code https://huggingface.co}</td></tr>
 *   <tr><td>token</td><td>{@code HF_TOKEN}</td><td>none</td></tr>
 *   <tr><td>offline</td><td>{@code HF_HUB_OFFLINE}, {@code LAKELENS_OFFLINE} (1, true, yes, on)</td><td>false</td></tr>
 * </table>
 */
public final class HubOptions {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

    private final Path cacheDir;
    private final URI endpoint;
    private final String token;
    private final boolean offline;
    private final DownloadListener listener;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration connectTimeout;

    private HubOptions(Builder b) {
        Map<String, String> env = b.environment;
        this.cacheDir = (b.cacheDir != null ? b.cacheDir : envPath(env, "LAKELENS_HUB_CACHE")
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".cache", "lakelens", "hub")))
                .toAbsolutePath().normalize();
        this.endpoint = endpointUri(b.endpoint != null ? b.endpoint : nonBlank(env.get("HF_ENDPOINT")).orElse(DEFAULT_ENDPOINT));
        this.token = b.token != null ? b.token : nonBlank(env.get("HF_TOKEN")).orElse(null);
        this.offline = b.offline != null ? b.offline : isTrue(env.get("HF_HUB_OFFLINE")) || isTrue(env.get("LAKELENS_OFFLINE"));
        this.listener = b.listener;
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.connectTimeout = b.connectTimeout;
    }

    /** Settings from the process environment and defaults. */
    public static HubOptions defaults() {
        return builder().build();
    }

    /** A builder whose unset settings fall back to the process environment. */
    public static Builder builder() {
        return new Builder(System.getenv());
    }

    public Path cacheDir() { return cacheDir; }
    public URI endpoint() { return endpoint; }
    public Optional<String> token() { return Optional.ofNullable(token); }
    public boolean offline() { return offline; }
    public DownloadListener listener() { return listener; }
    public int maxAttempts() { return maxAttempts; }
    public Duration initialBackoff() { return initialBackoff; }
    public Duration connectTimeout() { return connectTimeout; }

    public static final class Builder {
        private Map<String, String> environment;
        private Path cacheDir;
        private String endpoint;
        private String token;
        private Boolean offline;
        private DownloadListener listener = DownloadListener.NONE;
        private int maxAttempts = 5;
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Duration connectTimeout = Duration.ofSeconds(10);

        private Builder(Map<String, String> environment) {
            this.environment = environment;
        }

        /** Reads unset settings from this map instead of the process environment (tests, embedding). */
        public Builder environment(Map<String, String> env) { this.environment = Objects.requireNonNull(env); return this; }
        public Builder cacheDir(Path dir) { this.cacheDir = dir; return this; }
        public Builder endpoint(String url) { this.endpoint = url; return this; }
        public Builder token(String hfToken) { this.token = hfToken; return this; }
        public Builder offline(boolean on) { this.offline = on; return this; }
        public Builder listener(DownloadListener l) { this.listener = Objects.requireNonNull(l); return this; }

        /** Tries per request, counting the first; each retry of a download resumes where it stopped. */
        public Builder maxAttempts(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, got " + n);
            }
            this.maxAttempts = n;
            return this;
        }

        /** Wait before the first retry; it doubles per retry, up to 30 s. */
        public Builder initialBackoff(Duration d) { this.initialBackoff = Objects.requireNonNull(d); return this; }
        public Builder connectTimeout(Duration d) { this.connectTimeout = Objects.requireNonNull(d); return this; }

        public HubOptions build() {
            return new HubOptions(this);
        }
    }

    private static URI endpointUri(String url) {
        String trimmed = url.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        URI uri = URI.create(trimmed);
        if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
            throw new ModelResolveException("bad Hub endpoint '" + url + "' (HF_ENDPOINT or options): expected http(s)://host[:port]");
        }
        return uri;
    }

    private static Optional<Path> envPath(Map<String, String> env, String name) {
        return nonBlank(env.get(name)).map(Path::of);
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    private static boolean isTrue(String value) {
        if (value == null) {
            return false;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        return v.equals("1") || v.equals("true") || v.equals("yes") || v.equals("on");
    }
}
