package io.lakelens.jobs.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.jobs.testing.SparkTestSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * {@code lakelens dashboard --serve} in a real browser: every page loads without console errors, every
 * chart is drawn, and the numbers on the page and in the charts are the tables' numbers. Saves a
 * full-page screenshot of each page to {@code target/dashboard-screenshots/}.
 */
class DashboardBrowserTest {

    static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");

    private static Path warehouse;
    private static ServedDashboard served;
    private static Browser browser;

    @BeforeAll
    static void serveAndOpenABrowser() throws Exception {
        Browser.assumeInstalled();
        TinyDataSpark.enable(SparkTestSession.spark());
        warehouse = SyntheticWarehouse.full();
        served = ServedDashboard.start(warehouse);
        browser = Browser.start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            try {
                if (served != null) {
                    served.close();
                }
            } finally {
                TinyDataSpark.restore(SparkTestSession.spark());
            }
        }
    }

    @AfterEach
    void noConsoleErrors() {
        assertEquals(List.of(), browser.consoleErrors(), "JavaScript errors or failed loads");
    }

    /** Opens a page, checks every chart drew something, and saves its screenshot. */
    private static void visit(String path, String screenshot) throws Exception {
        browser.open(served.url().resolve(path).toString());
        Object blank = browser.js("return Array.from(document.querySelectorAll('figure.chart canvas')).filter(c => {"
                + " const empty = document.createElement('canvas'); empty.width = c.width; empty.height = c.height;"
                + " return c.width === 0 || c.toDataURL() === empty.toDataURL(); }).length");
        assertEquals(0L, blank, path + ": every chart canvas has pixels on it");
        Object broken = browser.js("return Array.from(document.images).filter(i => i.naturalWidth === 0).map(i => i.src)");
        assertEquals(List.of(), broken, path + ": images that did not load");
        browser.screenshot(SCREENSHOTS.resolve(screenshot + ".png"));
    }

    /** The values a Chart.js chart draws, per dataset label. */
    @SuppressWarnings("unchecked")
    private static Map<String, List<Double>> chartValues(String figureId) {
        List<List<Object>> raw = (List<List<Object>>) browser.js(
                "const c = Chart.getChart(document.querySelector('#' + arguments[0] + ' canvas'));"
                        + " return c.data.datasets.map(d => [d.label, d.data.map(v => v === null ? null : (typeof v === 'object' ? v.y : v))]);",
                figureId);
        Map<String, List<Double>> out = new LinkedHashMap<>();
        for (List<Object> dataset : raw) {
            List<Double> values = new ArrayList<>();
            for (Object v : (List<Object>) dataset.get(1)) {
                values.add(v == null ? null : ((Number) v).doubleValue());
            }
            out.put((String) dataset.get(0), values);
        }
        return out;
    }

    private static List<Row> sql(String query) {
        String root = io.lakelens.jobs.tables.Warehouse.at(warehouse.toString()).databaseLocation();
        return SparkTestSession.spark().sql(query.replaceAll("\\blakelens\\.(\\w+)", "delta.`" + root + "/$1`")).collectAsList();
    }

    private static List<Double> doubles(List<Row> rows) {
        return rows.stream().map(r -> r.isNullAt(0) ? null : ((Number) r.get(0)).doubleValue()).toList();
    }

    @Test
    void indexChartsEachModelAndDatasetOverTime() throws Exception {
        visit("", "index");
        Map<String, List<Double>> expected = new LinkedHashMap<>();
        for (Row r : sql("SELECT model_id || ' / ' || dataset, metrics['top1_accuracy'] FROM lakelens.eval_runs"
                + " WHERE kind = 'zeroshot' ORDER BY finished_at")) {
            expected.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r.getDouble(1));
        }
        assertEquals(expected, chartValues("headline-zeroshot"));
        assertEquals(sql("SELECT count(*) FROM lakelens.eval_runs").get(0).getLong(0),
                browser.driver().findElements(By.cssSelector("#eval-runs tbody tr")).size());
        String jobs = browser.driver().findElement(By.id("job-runs")).getText();
        assertTrue(jobs.contains(SyntheticWarehouse.FAILED_JOB_ERROR), "the error, escaped, reads as written: " + jobs);
    }

    @Test
    void zeroShotPageShowsTheTablesNumbers() throws Exception {
        visit("runs/zs-main.html", "zeroshot");
        assertEquals(Map.of(
                        "Recall", doubles(sql("SELECT recall FROM lakelens.eval_per_class WHERE run_id = 'zs-main' ORDER BY recall, label")),
                        "Top-5 recall", doubles(sql("SELECT top5_recall FROM lakelens.eval_per_class WHERE run_id = 'zs-main' ORDER BY recall, label"))),
                chartValues("recall-chart"));
        for (Row r : sql("SELECT true_label, predicted_label, count FROM lakelens.eval_confusion WHERE run_id = 'zs-main'")) {
            WebElement cell = browser.driver().findElement(By.cssSelector(
                    "#confusion td[data-true='" + r.getString(0) + "'][data-predicted='" + r.getString(1) + "']"));
            assertEquals(Long.toString(r.getLong(2)), cell.getText(), "heatmap " + r);
        }
        for (Row r : sql("SELECT key, value FROM (SELECT explode(metrics) FROM lakelens.eval_runs WHERE run_id = 'zs-main')")) {
            WebElement card = browser.driver().findElement(By.cssSelector("#metrics [data-metric='" + r.getString(0) + "'] .metric-value"));
            assertEquals(Formats.number(r.getDouble(1)), card.getText(), r.getString(0));
        }
        List<WebElement> pairs = browser.driver().findElements(By.cssSelector("#pairs .pair"));
        assertEquals("dog", pairs.get(0).getAttribute("data-true"));
        assertEquals("fox", pairs.get(0).getAttribute("data-predicted"));
        assertEquals(2, pairs.get(0).findElements(By.tagName("img")).size(), "both dog → fox images");
        Object widest = browser.js("return Math.max(...Array.from(document.querySelectorAll('#pairs img')).map(i => Math.max(i.naturalWidth, i.naturalHeight)))");
        assertEquals(160L, widest, "thumbnails are downscaled to 160 px");
    }

    @Test
    void captionGalleryShowsScoresAndSorts() throws Exception {
        visit("runs/cap-1.html", "captions");
        List<Row> scores = sql("SELECT image_id, scores['CIDEr'], scores['CLIPScore'] FROM lakelens.caption_scores WHERE run_id = 'cap-1'");
        List<WebElement> cards = browser.driver().findElements(By.cssSelector("#gallery .card"));
        assertEquals(scores.size(), cards.size());
        for (Row r : scores) {
            WebElement card = browser.driver().findElement(By.cssSelector("#gallery .card[data-image-id='" + r.getString(0) + "']"));
            assertEquals(Double.toString(r.getDouble(1)),
                    card.findElement(By.cssSelector("tr[data-metric='CIDEr']")).getAttribute("data-value"));
            assertEquals(Formats.number(r.getDouble(2)), card.findElement(By.cssSelector("tr[data-metric='CLIPScore'] td")).getText());
        }
        assertTrue(browser.driver().findElement(By.id("gallery")).getText().contains(SyntheticWarehouse.MARKUP_CAPTION),
                "markup in a caption shows as text");

        new Select(browser.driver().findElement(By.id("gallery-sort"))).selectByValue("CLIPScore:asc");
        List<Double> shown = new ArrayList<>();
        for (WebElement card : browser.driver().findElements(By.cssSelector("#gallery .card"))) {
            shown.add(Double.valueOf(card.findElement(By.cssSelector("tr[data-metric='CLIPScore']")).getAttribute("data-value")));
        }
        assertEquals(doubles(sql("SELECT scores['CLIPScore'] FROM lakelens.caption_scores WHERE run_id = 'cap-1' ORDER BY 1")), shown);
    }

    @Test
    void retrievalPageChartsRecallBothWays() throws Exception {
        visit("runs/ret-1.html", "retrieval");
        Row m = sql("SELECT metrics FROM lakelens.eval_runs WHERE run_id = 'ret-1'").get(0);
        Map<String, Double> metrics = m.getJavaMap(0);
        assertEquals(Map.of(
                "image → text", List.of(metrics.get("image_to_text_R@1"), metrics.get("image_to_text_R@5"), metrics.get("image_to_text_R@10")),
                "text → image", List.of(metrics.get("text_to_image_R@1"), metrics.get("text_to_image_R@5"), metrics.get("text_to_image_R@10"))),
                chartValues("recall-chart"));
    }

    @Test
    void trainingPageChartsTheLossCurve() throws Exception {
        visit("training/train-1.html", "training");
        assertEquals(Map.of("loss", doubles(sql("SELECT loss FROM lakelens.training_steps WHERE run_id = 'train-1' ORDER BY step"))),
                chartValues("loss-chart"));
        assertTrue(browser.driver().findElement(By.id("before-after")).getText().contains("zeroshot on pets: top1_accuracy"));
    }

    @Test
    void everyOtherPageLoadsCleanly() throws Exception {
        browser.open(served.url().toString());
        @SuppressWarnings("unchecked")
        List<String> links = (List<String>) browser.js("return Array.from(document.querySelectorAll('#eval-runs a, #training-runs a'))"
                + ".map(a => a.getAttribute('href'))");
        List<String> covered = List.of("runs/zs-main.html", "runs/cap-1.html", "runs/ret-1.html", "training/train-1.html",
                "runs/ft-eval-1.html");
        assertTrue(links.containsAll(covered), links.toString());
        for (String link : links) {
            if (!covered.contains(link)) {
                visit(link, link.replaceAll("\\.html$", "").replace('/', '-'));
            }
        }
    }

    @Test
    void staticSiteWorksFromFileUrls(@TempDir Path tmp) throws Exception {
        Path site = tmp.resolve("site");
        assertEquals(0, DashboardSparkTest.lakelens("--warehouse", warehouse.toString(), "dashboard", "--out", site.toString()).code());
        for (String page : List.of("index.html", "runs/zs-main.html", "runs/cap-1.html")) {
            browser.open(site.resolve(page).toUri().toString());
            assertTrue((Boolean) browser.js("return document.querySelectorAll('figure.chart canvas').length === 0"
                    + " || Array.from(document.querySelectorAll('figure.chart canvas')).every(c => Chart.getChart(c))"), page);
            // The one image stored by reference points at a file this machine does not have.
            assertEquals(List.of(), browser.consoleErrors().stream().filter(e -> !e.contains("/data/pets/fox-11.png")).toList(), page);
        }
    }

    @Test
    void fineTuningEvaluationLinksToItsTrainingRun() throws Exception {
        visit("runs/ft-eval-1.html", "finetune-eval");
        browser.driver().findElement(By.cssSelector(".callout a")).click();
        assertTrue(browser.driver().getCurrentUrl().endsWith("/training/train-1.html"));
    }
}
