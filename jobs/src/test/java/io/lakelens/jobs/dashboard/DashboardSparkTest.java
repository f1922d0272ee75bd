package io.lakelens.jobs.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.cli.LakelensCli;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.tables.LakelensTables;
import io.lakelens.jobs.tables.Warehouse;
import io.lakelens.jobs.testing.SparkTestSession;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The dashboard command on real Delta tables: the static site, missing tables, the live server. */
class DashboardSparkTest {

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    @BeforeAll
    static void sharedSpark() {
        TinyDataSpark.enable(SparkTestSession.spark());
    }

    @AfterAll
    static void restoreSpark() {
        TinyDataSpark.restore(SparkTestSession.spark());
    }

    static Run lakelens(String... args) {
        CommandLine cl = LakelensCli.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    /** Rows of a table read directly from Delta, independently of DashboardData. */
    static List<Row> table(Path warehouse, String name, String where) {
        String location = Warehouse.at(warehouse.toString()).tableLocation(name);
        return SparkTestSession.spark().sql("SELECT * FROM delta.`" + location + "` WHERE " + where).collectAsList();
    }

    @Test
    void staticSiteShowsEveryRunWithTheTablesNumbers() throws IOException {
        Path wh = SyntheticWarehouse.full();
        Path site = tmp.resolve("site");
        Run r = lakelens("--warehouse", wh.toString(), "dashboard", "--out", site.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote 9 pages"), r.out());
        for (String asset : Assets.NAMES) {
            assertTrue(Files.size(site.resolve("assets").resolve(asset)) > 100, asset);
        }

        String index = Files.readString(site.resolve("index.html"));
        for (Row run : table(wh, "eval_runs", "true")) {
            String id = run.getAs("run_id");
            assertTrue(index.contains("href=\"runs/" + id + ".html\""), id);
            String page = Files.readString(site.resolve(PagePaths.evalRun(id)));
            Map<String, String> expected = new java.util.TreeMap<>();
            run.<String, Double>getJavaMap(run.fieldIndex("metrics")).forEach((k, v) -> expected.put(k, v.toString()));
            assertEquals(expected, new java.util.TreeMap<>(DashboardSiteTest.metricCards(page)), id);
            assertTrue(page.contains("data-fact=\"model\">" + run.getAs("model_id") + "<"), id);
        }
        assertTrue(index.contains("model &lt;oops&gt; failed"), "job errors are escaped");
        assertEquals(List.of("0.5", "0.75"), DashboardSiteTest.rowValues(index, "data-series", "clip-b32 / pets").subList(0, 2),
                "top-1 of clip-b32 over time, oldest first");
        assertTrue(index.contains("href=\"training/train-1.html\""));

        String zs = Files.readString(site.resolve("runs/zs-main.html"));
        for (Row c : table(wh, "eval_per_class", "run_id = 'zs-main'")) {
            assertTrue(zs.contains("data-label=\"" + c.getAs("label") + "\"><th>" + c.getAs("label")
                    + "</th><td class=\"num\" data-value=\"" + c.getAs("recall") + "\""), c.toString());
        }
        for (Row c : table(wh, "eval_confusion", "run_id = 'zs-main'")) {
            assertTrue(zs.contains("data-true=\"" + c.getAs("true_label") + "\" data-predicted=\"" + c.getAs("predicted_label")
                    + "\" data-value=\"" + c.getAs("count") + "\""), c.toString());
        }
        assertTrue(zs.indexOf("data-true=\"dog\" data-predicted=\"fox\" data-value=\"2\">") > zs.indexOf("id=\"pairs\""),
                "dog → fox is the most confused pair");
        List<String> ids = SyntheticWarehouse.imageIds();
        assertTrue(zs.contains("src=\"../thumbs/" + ids.get(6) + ".jpg\""), "an example of dog → fox");
        assertTrue(zs.contains("src=\"file:///data/pets/fox-11.png\""), "no stored bytes: the original file");
        assertFalse(Files.exists(site.resolve(PagePaths.thumbnail(ids.get(11)))));
        BufferedImage thumb = ImageIO.read(site.resolve(PagePaths.thumbnail(ids.get(6))).toFile());
        assertEquals(160, Math.max(thumb.getWidth(), thumb.getHeight()), "downscaled to 160 px");

        String captions = Files.readString(site.resolve("runs/cap-1.html"));
        assertTrue(captions.contains("a cat &lt;b&gt;sleeping&lt;/b&gt; &amp; &quot;dreaming&quot;"), "captions are escaped");
        assertFalse(captions.contains("<b>sleeping</b>"));
        List<Row> scores = table(wh, "caption_scores", "run_id = 'cap-1' ORDER BY scores['CIDEr'] DESC");
        assertEquals(scores.stream().map(s -> s.getJavaMap(s.fieldIndex("scores")).get("CIDEr").toString()).toList(),
                DashboardSiteTest.values(captions, "data-metric", "CIDEr").subList(1, 7), "per-image CIDEr, highest first");
        assertTrue(captions.contains("a reference for image 0") && captions.contains("model output: a picture of a "));
        for (Row s : scores) {
            assertTrue(Files.exists(site.resolve(PagePaths.thumbnail(s.getAs("image_id")))));
        }

        String training = Files.readString(site.resolve("training/train-1.html"));
        assertEquals(table(wh, "training_steps", "run_id = 'train-1' ORDER BY step").stream()
                .map(s -> s.getAs("loss").toString()).toList(), DashboardSiteTest.rowValues(training, "data-series", "loss"));
        assertTrue(training.contains("data-metric=\"loss\"><th>loss</th><td class=\"num\" data-value=\"2.75\""), "loss_start → loss_end");
        assertTrue(training.contains("data-metric=\"zeroshot on pets: top1_accuracy\"><th>zeroshot on pets: top1_accuracy</th>"
                + "<td class=\"num\" data-value=\"0.75\">"), "zs-main (the starting model) before zs-tuned");

        String retrieval = Files.readString(site.resolve("runs/ret-1.html"));
        assertTrue(retrieval.contains("<tr data-label=\"R@10\"><th>R@10</th><td class=\"num\" data-value=\"0.875\">"));
    }

    @Test
    void aWarehouseWithSomeTablesGetsPagesForWhatExists() throws IOException {
        Path wh = SyntheticWarehouse.onlyEvalRuns();
        Run r = lakelens("--warehouse", wh.toString(), "dashboard");
        assertEquals(0, r.code(), r.err());
        Path site = wh.resolve("dashboard");
        String index = Files.readString(site.resolve("index.html"));
        assertTrue(index.contains("lakelens.job_runs</span> does not exist"), index);
        assertTrue(index.contains("lakelens.training_runs</span> does not exist"), index);
        assertTrue(index.contains("href=\"runs/zs-lonely.html\""));
        String page = Files.readString(site.resolve("runs/zs-lonely.html"));
        assertTrue(page.contains("lakelens.eval_per_class</span> does not exist"), page);
        assertTrue(page.contains("lakelens.eval_confusion</span> does not exist"), page);
        try (Stream<Path> thumbs = Files.list(site)) {
            assertFalse(thumbs.anyMatch(p -> p.getFileName().toString().equals("thumbs")));
        }
    }

    @Test
    void badOptionsAreUsageErrors() {
        Run help = lakelens("dashboard", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--serve") && help.out().contains("--port"), help.out());
        assertEquals(2, lakelens("dashboard", "--port", "8080").code(), "--port needs --serve");
        assertEquals(2, lakelens("dashboard", "--serve", "--out", tmp.toString()).code());
        Run remote = lakelens("--warehouse", "s3a://bucket/wh", "dashboard");
        assertEquals(2, remote.code());
        assertTrue(remote.err().contains("give --out DIR"), remote.err());
    }

    @Test
    void liveServerReadsTheTablesOnEveryPageLoad() throws Exception {
        Path wh = SyntheticWarehouse.onlyEvalRuns();
        HttpClient http = HttpClient.newHttpClient();
        URI url;
        try (ServedDashboard served = ServedDashboard.start(wh)) {
            url = served.url();
            HttpResponse<String> first = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, first.statusCode());
            assertTrue(first.body().contains("lakelens.job_runs</span> does not exist"));
            assertFalse(first.body().contains("zs-written-later"));

            // Another process writes while the dashboard runs.
            try (LakelensSession s = SparkTestSession.on(wh)) {
                SyntheticWarehouse.merge(s, LakelensTables.EVAL_RUNS, SyntheticWarehouse.evalRun("zs-written-later", "zeroshot",
                        "clip-b32", Map.of(), SyntheticWarehouse.metrics("top1_accuracy", 0.625), 5));
            }
            String second = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(second.contains("zs-written-later"), "a reload shows the new run");

            assertEquals(200, status(http, url.resolve("runs/zs-written-later.html"), "GET"));
            assertEquals(404, status(http, url.resolve("runs/no-such-run.html"), "GET"));
            assertEquals(404, status(http, url.resolve("thumbs/" + "0".repeat(64) + ".jpg"), "GET"));
            assertEquals(200, status(http, url.resolve("assets/chart.umd.min.js"), "GET"));
            assertEquals(405, status(http, url, "POST"));
        }
        assertThrows(ConnectException.class, () -> http.send(HttpRequest.newBuilder(url).build(),
                HttpResponse.BodyHandlers.discarding()), "stopped");
    }

    private static int status(HttpClient http, URI uri, String method) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
