package io.lakelens.models.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Hub's HTTP protocol as huggingface_hub speaks it, one request per call (retries are the
 * caller's): revision lookup, file metadata by HEAD, file download by GET with an optional Range.
 * Redirects are followed by hand so that the token goes only to the Hub itself, never to the CDN
 * that LFS files redirect to.
 */
final class HubClient {
    record RevisionInfo(String commit, List<String> files) { }

    /**
     * @param etag    the blob's name in the cache
     * @param size    bytes, or -1 if the Hub did not say
     * @param sha256  the content's SHA-256 for LFS files (their linked ETag), else null
     */
    record FileMetadata(String etag, long size, String sha256) { }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REDIRECTS = 10;
    // Until response headers arrive; the body of a large file may take much longer.
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_ERROR_BODY = 4096;
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern SAFE_ETAG = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final String USER_AGENT = "lakelens/0.1 (java " + Runtime.version().feature() + ")";

    private final HttpClient http;
    private final URI endpoint;
    private final String token;

    HubClient(HubOptions options) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                // One transfer per connection; also avoids an h2c upgrade against plain-http mirrors.
                .version(HttpClient.Version.HTTP_1_1);
        ProxySelector proxies = ProxySelector.getDefault();
        if (proxies != null) {
            builder.proxy(proxies); // honours -Dhttps.proxyHost; the JDK client ignores it otherwise
        }
        this.http = builder.build();
        this.endpoint = options.endpoint();
        this.token = options.token().orElse(null);
    }

    URI endpoint() { return endpoint; }

    RevisionInfo revision(String repoId, String revision) throws IOException {
        URI uri = URI.create(endpoint + "/api/models/" + repoId + "/revision/" + encodeSegment(revision));
        HttpResponse<InputStream> response = send("GET", uri, Map.of(), true);
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw error(uri, response, body);
            }
            JsonNode json = JSON.readTree(body);
            String commit = json.path("sha").asText("");
            if (!HubCache.isCommit(commit)) {
                throw new IOException("the Hub's answer for " + uri + " has no commit sha");
            }
            List<String> files = new ArrayList<>();
            json.path("siblings").forEach(sibling -> files.add(sibling.path("rfilename").asText()));
            return new RevisionInfo(commit, List.copyOf(files));
        }
    }

    URI fileUri(String repoId, String commit, String file) {
        return URI.create(endpoint + "/" + repoId + "/resolve/" + commit + "/" + encodePath(file));
    }

    /** Metadata from the Hub's own answer: a 200 for plain files, the redirect to the CDN for LFS files. */
    FileMetadata metadata(URI fileUri) throws IOException {
        HttpResponse<InputStream> response = send("HEAD", fileUri, Map.of("Accept-Encoding", "identity"), false);
        response.body().close();
        int status = response.statusCode();
        if (status >= 400 || status < 200) {
            throw error(fileUri, response, null);
        }
        Optional<String> linkedEtag = response.headers().firstValue("X-Linked-Etag");
        String etag = normalizeEtag(linkedEtag.or(() -> response.headers().firstValue("ETag")).orElse(null));
        if (etag == null || !SAFE_ETAG.matcher(etag).matches()) {
            throw new ModelResolveException("the Hub at " + endpoint + " sent no usable ETag for " + fileUri
                    + "; is HF_ENDPOINT a Hugging Face Hub?");
        }
        long size = response.headers().firstValueAsLong("X-Linked-Size")
                .orElse(status < 300 ? response.headers().firstValueAsLong("Content-Length").orElse(-1) : -1);
        String sha256 = linkedEtag.isPresent() && SHA256_HEX.matcher(etag).matches() ? etag : null;
        return new FileMetadata(etag, size, sha256);
    }

    /**
     * Opens a file's content from {@code offset} on. Returns the 200, 206 or 416 response; any
     * other status is thrown. The caller closes the body.
     */
    HttpResponse<InputStream> download(URI fileUri, long offset) throws IOException {
        Map<String, String> headers = offset > 0
                ? Map.of("Accept-Encoding", "identity", "Range", "bytes=" + offset + "-")
                : Map.of("Accept-Encoding", "identity");
        HttpResponse<InputStream> response = send("GET", fileUri, headers, true);
        int status = response.statusCode();
        if (status == 200 || status == 206 || status == 416) {
            return response;
        }
        try (InputStream body = response.body()) {
            throw error(fileUri, response, body);
        }
    }

    private HttpResponse<InputStream> send(String method, URI uri, Map<String, String> headers, boolean followOtherHosts)
            throws IOException {
        URI current = uri;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(current)
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .timeout(RESPONSE_TIMEOUT)
                    .header("User-Agent", USER_AGENT);
            headers.forEach(request::header);
            if (token != null && sameOrigin(current, endpoint)) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<InputStream> response = sendOnce(request.build());
            Optional<String> location = response.headers().firstValue("Location");
            if (!isRedirect(response.statusCode()) || location.isEmpty()) {
                return response;
            }
            URI next = resolveLocation(current, location.get());
            if (!followOtherHosts && !sameOrigin(next, endpoint)) {
                return response;
            }
            response.body().close();
            if (hop >= MAX_REDIRECTS) {
                throw new IOException("more than " + MAX_REDIRECTS + " redirects from " + uri);
            }
            current = next;
        }
    }

    private HttpResponse<InputStream> sendOnce(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while requesting " + request.uri());
        }
    }

    private static HubHttpException error(URI uri, HttpResponse<?> response, InputStream body) throws IOException {
        String code = response.headers().firstValue("X-Error-Code").orElse(null);
        String message = response.headers().firstValue("X-Error-Message").orElse(null);
        if (message == null && body != null) {
            message = errorFromBody(body.readNBytes(MAX_ERROR_BODY));
        }
        return new HubHttpException(uri, response.statusCode(), code, message);
    }

    private static String errorFromBody(byte[] bytes) {
        try {
            String error = JSON.readTree(bytes).path("error").asText(null);
            if (error != null && !error.isBlank()) {
                return error;
            }
        } catch (IOException notJson) {
            // fall through: a proxy's HTML or text page says nothing the status does not.
        }
        return null;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static URI resolveLocation(URI current, String location) throws IOException {
        try {
            return current.resolve(location);
        } catch (IllegalArgumentException e) {
            throw new IOException("bad redirect Location '" + location + "' from " + current, e);
        }
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** huggingface_hub's rule: drop a weak-validator prefix and the quotes. */
    static String normalizeEtag(String etag) {
        if (etag == null) {
            return null;
        }
        String e = etag.strip();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e.isEmpty() ? null : e;
    }

    private static String encodePath(String path) {
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/", -1)) {
            segments.add(encodeSegment(segment));
        }
        return String.join("/", segments);
    }

    private static String encodeSegment(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
