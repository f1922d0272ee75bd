package io.lakelens.jobs.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the dashboard live on the loopback interface: the same pages and paths as the static site,
 * rendered from the tables on every request, so a reload shows what jobs wrote since.
 */
public final class DashboardServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    private static final int THREADS = 4;
    private static final int CACHED_THUMBNAILS = 5000;

    private final HttpServer http;
    private final ExecutorService pool;
    private final DashboardData data;
    private final DashboardSite site;
    private final ThumbnailCache thumbnails;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private DashboardServer(HttpServer http, ExecutorService pool, DashboardData data, DashboardSite site) {
        this.http = http;
        this.pool = pool;
        this.data = data;
        this.site = site;
        this.thumbnails = new ThumbnailCache(data, CACHED_THUMBNAILS);
    }

    /** Starts serving on 127.0.0.1; port 0 picks a free port (see {@link #url()}). */
    public static DashboardServer start(DashboardData data, DashboardSite site, int port) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "lakelens-dashboard");
            t.setDaemon(true);
            return t;
        });
        DashboardServer server = new DashboardServer(http, pool, data, site);
        http.createContext("/", server::handle);
        http.setExecutor(pool);
        http.start();
        return server;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/");
    }

    /** Blocks until {@link #close()} (from another thread or a shutdown hook). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        http.stop(0);
        pool.shutdownNow();
        stopped.countDown();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                send(exchange, 405, "text/plain; charset=utf-8", "only GET and HEAD\n".getBytes(StandardCharsets.UTF_8), false);
                return;
            }
            String path = exchange.getRequestURI().getPath().replaceFirst("^/", "");
            long start = System.nanoTime();
            try {
                route(exchange, path.isEmpty() ? PagePaths.INDEX : path);
                LOG.debug("{} /{} -> {} in {} ms", method, path, exchange.getResponseCode(), (System.nanoTime() - start) / 1_000_000);
            } catch (RuntimeException e) {
                LOG.error("dashboard: {} failed", path, e);
                send(exchange, 500, "text/plain; charset=utf-8",
                        ("error rendering " + path + ": " + e + "\n").getBytes(StandardCharsets.UTF_8), false);
            }
        }
    }

    private void route(HttpExchange exchange, String path) throws IOException {
        if (path.equals(PagePaths.INDEX)) {
            html(exchange, 200, site.index(data.index()));
        } else if (path.startsWith(PagePaths.ASSETS) && Assets.NAMES.contains(path.substring(PagePaths.ASSETS.length()))) {
            send(exchange, 200, Assets.contentType(path), Assets.read(path.substring(PagePaths.ASSETS.length())), false);
        } else if (path.startsWith("runs/")) {
            List<EvalRun> runs = data.evalRuns();
            Optional<EvalRun> run = runs.stream().filter(r -> PagePaths.evalRun(r.runId()).equals(path)).findFirst();
            if (run.isEmpty()) {
                html(exchange, 404, site.notFound("No evaluation run has the page " + path + ".", "../"));
                return;
            }
            Pages.RunPage page = data.runPage(run.get());
            thumbnails.prefetch(page.images().stream().filter(ImageRef::hasContent).map(ImageRef::imageId).toList());
            html(exchange, 200, site.run(page));
        } else if (path.startsWith("training/")) {
            Optional<TrainingRun> run = data.trainingRuns().stream()
                    .filter(r -> PagePaths.trainingRun(r.runId()).equals(path)).findFirst();
            if (run.isEmpty()) {
                html(exchange, 404, site.notFound("No fine-tuning run has the page " + path + ".", "../"));
                return;
            }
            html(exchange, 200, site.training(data.training(run.get())));
        } else if (path.matches("thumbs/[A-Za-z0-9_-]+\\.jpg")) {
            String imageId = path.substring("thumbs/".length(), path.length() - ".jpg".length());
            byte[] jpeg = thumbnails.get(imageId);
            if (jpeg == null) {
                send(exchange, 404, "text/plain; charset=utf-8", "no stored image\n".getBytes(StandardCharsets.UTF_8), false);
            } else {
                send(exchange, 200, Assets.contentType(path), jpeg, true);
            }
        } else {
            html(exchange, 404, site.notFound("There is no page " + path + ".", "../".repeat(Math.max(0, path.split("/").length - 1))));
        }
    }

    private static void html(HttpExchange exchange, int status, String page) throws IOException {
        send(exchange, status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8), false);
    }

    /** {@code immutable}: content-addressed files (thumbnails) can be cached for good; pages never. */
    private static void send(HttpExchange exchange, int status, String type, byte[] body, boolean immutable)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", immutable ? "max-age=86400, immutable" : "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
