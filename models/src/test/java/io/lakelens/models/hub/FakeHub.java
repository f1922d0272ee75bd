package io.lakelens.models.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Hugging Face Hub on loopback that speaks the protocol lakelens uses: the revision API, resolve
 * URLs with the Hub's headers, and LFS files redirected to a second server standing in for the CDN
 * (a different port, so a different origin). Faults can be injected per test.
 */
final class FakeHub implements AutoCloseable {
    record Request(String server, String method, String path, String range, String authorization) { }

    private record Repo(Map<String, String> refs, Map<String, Map<String, byte[]>> commits) { }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    final AtomicLong cdnBytesSent = new AtomicLong();
    /** The next this-many CDN downloads send half their bytes, then drop the connection. */
    final AtomicInteger cutsRemaining = new AtomicInteger();
    /** The next this-many revision lookups answer 503. */
    final AtomicInteger apiFailuresRemaining = new AtomicInteger();
    /** LFS files (by sha256) whose served bytes do not match their sha256. */
    final Set<String> corrupted = ConcurrentHashMap.newKeySet();
    /** Repos that answer 401 GatedRepo unless the request carries {@link #GOOD_TOKEN}. */
    final Set<String> gated = ConcurrentHashMap.newKeySet();
    /** Files the revision API lists but the resolve endpoint answers 404 for. */
    final Set<String> unservable = ConcurrentHashMap.newKeySet();
    static final String GOOD_TOKEN = "hf_good";

    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final Map<String, byte[]> lfsBySha = new ConcurrentHashMap<>();
    private final HttpServer hub;
    private final HttpServer cdn;
    private final Random random = new Random(42);

    FakeHub() throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        hub = HttpServer.create(loopback, 0);
        cdn = HttpServer.create(loopback, 0);
        hub.createContext("/", exchange -> handle(exchange, "hub"));
        cdn.createContext("/", exchange -> handle(exchange, "cdn"));
        hub.start();
        cdn.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + hub.getAddress().getPort();
    }

    /** Adds a commit holding {@code files} and points {@code revision} at it; returns the commit sha. */
    String commit(String repoId, String revision, Map<String, byte[]> files) {
        byte[] shaBytes = new byte[20];
        random.nextBytes(shaBytes);
        String commit = HexFormat.of().formatHex(shaBytes);
        Repo repo = repos.computeIfAbsent(repoId, id -> new Repo(new ConcurrentHashMap<>(), new ConcurrentHashMap<>()));
        repo.commits().put(commit, new LinkedHashMap<>(files));
        repo.refs().put(revision, commit);
        files.forEach((name, bytes) -> {
            if (isLfs(name)) {
                lfsBySha.put(sha256(bytes), bytes);
            }
        });
        return commit;
    }

    byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    List<Request> requestsTo(String server) {
        return requests.stream().filter(r -> r.server().equals(server)).toList();
    }

    static boolean isLfs(String name) {
        return name.endsWith(".safetensors") || name.endsWith(".bin");
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private void handle(HttpExchange exchange, String server) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(new Request(server, exchange.getRequestMethod(), path,
                exchange.getRequestHeaders().getFirst("Range"), exchange.getRequestHeaders().getFirst("Authorization")));
        try (exchange) {
            if (server.equals("cdn")) {
                serveCdn(exchange, path);
            } else if (path.startsWith("/api/models/")) {
                serveRevision(exchange, path.substring("/api/models/".length()));
            } else if (path.contains("/resolve/")) {
                serveResolve(exchange, path);
            } else {
                error(exchange, 404, null);
            }
        }
    }

    private void serveRevision(HttpExchange exchange, String rest) throws IOException {
        int at = rest.indexOf("/revision/");
        Repo repo = repos.get(rest.substring(0, at));
        String revision = rest.substring(at + "/revision/".length());
        if (apiFailuresRemaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            error(exchange, 503, null);
            return;
        }
        if (repo == null) {
            error(exchange, 404, "RepoNotFound");
            return;
        }
        if (refused(exchange, rest.substring(0, at))) {
            return;
        }
        String commit = repo.commits().containsKey(revision) ? revision : repo.refs().get(revision);
        if (commit == null) {
            error(exchange, 404, "RevisionNotFound");
            return;
        }
        StringBuilder json = new StringBuilder("{\"id\":\"" + rest.substring(0, at) + "\",\"sha\":\"" + commit + "\",\"siblings\":[");
        String separator = "";
        for (String name : repo.commits().get(commit).keySet()) {
            json.append(separator).append("{\"rfilename\":\"").append(name).append("\"}");
            separator = ",";
        }
        json.append("]}");
        byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    private void serveResolve(HttpExchange exchange, String path) throws IOException {
        int resolve = path.indexOf("/resolve/");
        Repo repo = repos.get(path.substring(1, resolve));
        String rest = path.substring(resolve + "/resolve/".length());
        String commit = rest.substring(0, rest.indexOf('/'));
        String file = rest.substring(commit.length() + 1);
        Map<String, byte[]> files = repo == null ? null : repo.commits().get(commit);
        byte[] content = files == null || unservable.contains(file) ? null : files.get(file);
        if (repo != null && refused(exchange, path.substring(1, resolve))) {
            return;
        }
        if (content == null) {
            error(exchange, 404, "EntryNotFound");
            return;
        }
        exchange.getResponseHeaders().set("X-Repo-Commit", commit);
        if (isLfs(file)) {
            String sha = sha256(content);
            exchange.getResponseHeaders().set("X-Linked-Etag", "\"" + sha + "\"");
            exchange.getResponseHeaders().set("X-Linked-Size", Long.toString(content.length));
            exchange.getResponseHeaders().set("ETag", "\"pointer-" + sha.substring(0, 8) + "\"");
            exchange.getResponseHeaders().set("Location", "http://127.0.0.1:" + cdn.getAddress().getPort() + "/lfs/" + sha);
            exchange.sendResponseHeaders(302, -1);
            return;
        }
        exchange.getResponseHeaders().set("ETag", "\"" + gitBlobSha1(content) + "\"");
        serveBytes(exchange, content, false);
    }

    private void serveCdn(HttpExchange exchange, String path) throws IOException {
        String sha = path.substring("/lfs/".length());
        byte[] content = lfsBySha.get(sha);
        if (content == null) {
            error(exchange, 404, null);
            return;
        }
        if (corrupted.contains(sha)) {
            content = content.clone();
            content[content.length / 2] ^= 0x5a;
        }
        serveBytes(exchange, content, cutsRemaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0);
    }

    /** Serves {@code content} honouring {@code Range: bytes=N-}; with {@code cut}, drops the connection halfway. */
    private void serveBytes(HttpExchange exchange, byte[] content, boolean cut) throws IOException {
        String range = exchange.getRequestHeaders().getFirst("Range");
        int start = range == null ? 0 : Integer.parseInt(range.substring("bytes=".length(), range.indexOf('-')));
        if (start >= content.length && content.length > 0) {
            exchange.sendResponseHeaders(416, -1);
            return;
        }
        int length = content.length - start;
        if (range != null) {
            exchange.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
        }
        int status = range == null ? 200 : 206;
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
        OutputStream body = exchange.getResponseBody();
        int toSend = cut ? length / 2 : length;
        body.write(content, start, toSend);
        body.flush();
        if (exchange.getLocalAddress().getPort() == cdn.getAddress().getPort()) {
            cdnBytesSent.addAndGet(toSend);
        }
        if (cut) {
            // HttpServer closes the connection when a handler throws; the client sees a short body.
            throw new IOException("fake hub: cutting the connection on purpose");
        }
    }

    private boolean refused(HttpExchange exchange, String repoId) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (gated.contains(repoId) && !("Bearer " + GOOD_TOKEN).equals(authorization)) {
            error(exchange, authorization == null ? 401 : 403, "GatedRepo");
            return true;
        }
        return false;
    }

    private static void error(HttpExchange exchange, int status, String errorCode) throws IOException {
        if (errorCode != null) {
            exchange.getResponseHeaders().set("X-Error-Code", errorCode);
        }
        byte[] body = ("{\"error\":\"fake hub: " + (errorCode == null ? "error" : errorCode) + "\"}").getBytes(StandardCharsets.UTF_8);
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static String gitBlobSha1(byte[] content) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha1.digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        hub.stop(0);
        cdn.stop(0);
    }
}
