package io.lakelens.jobs.dashboard;

import static io.lakelens.jobs.dashboard.PageFixtures.EVIL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The renderer on hand-made records: every page kind, escaping, empty states. */
class DashboardSiteTest {

    private static final String EVIL_ESCAPED = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;";

    private final DashboardSite site = new DashboardSite(false);

    /** The data-value attributes of elements carrying {@code attribute="key"}, in page order. */
    static List<String> values(String html, String attribute, String key) {
        Pattern p = Pattern.compile("<[^>]*\\b" + attribute + "=\"" + Pattern.quote(key) + "\"[^>]*\\bdata-value=\"([^\"]*)\"");
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(html);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The metric cards at the top of a run page: name to data-value. */
    static Map<String, String> metricCards(String html) {
        String grid = html.substring(html.indexOf("id=\"metrics\""), html.indexOf("</section>", html.indexOf("id=\"metrics\"")));
        Map<String, String> out = new java.util.LinkedHashMap<>();
        Matcher m = Pattern.compile("data-metric=\"([^\"]*)\" data-value=\"([^\"]*)\"").matcher(grid);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    /** The data-value of the first cell that has one in each row carrying {@code attribute="key"}. */
    static List<String> rowValues(String html, String attribute, String key) {
        Pattern p = Pattern.compile("<tr[^>]*\\b" + attribute + "=\"" + Pattern.quote(key) + "\"[^>]*>(?:(?!</tr>).)*?data-value=\"([^\"]*)\"");
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(html);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void everythingFromTheTablesIsEscaped() {
        for (String html : List.of(site.run(PageFixtures.zeroShot()), site.run(PageFixtures.captions()))) {
            assertFalse(html.contains("<script>alert"), "raw markup from a table must never reach the page");
            assertTrue(html.contains(EVIL_ESCAPED), html);
        }
    }

    @Test
    void emptyWarehouseSaysWhatIsMissing() {
        String html = site.index(PageFixtures.emptyIndex());
        assertTrue(html.contains("the table <span class=\"mono\">lakelens.eval_runs</span> does not exist"), html);
        assertTrue(html.contains("the table <span class=\"mono\">lakelens.training_runs</span> is empty"), html);
        assertTrue(html.contains("lakelens.job_runs</span> does not exist"), html);
        assertFalse(html.contains("<canvas"), "no charts without runs");
        assertTrue(html.contains("href=\"assets/dashboard.css\"") && html.contains("src=\"assets/chart.umd.min.js\""));
    }

    @Test
    void indexChartsTheHeadlineMetricPerModelAndDataset() {
        EvalRun a = PageFixtures.run("zs-a", "zeroshot", PageFixtures.map("top1_accuracy", 0.5), Map.of());
        EvalRun b = new EvalRun("zs-b", "zeroshot", "clip-l14", "pets", Map.of(), PageFixtures.map("top1_accuracy", 0.875),
                null, PageFixtures.T0.plusSeconds(3600), PageFixtures.T0.plusSeconds(3700));
        EvalRun c = new EvalRun("cap-a", "captions", "blip-base", "pets", Map.of(), PageFixtures.map("CIDEr", 1.25), null,
                PageFixtures.T0, PageFixtures.T0);
        String html = site.index(new Pages.Index("file:/wh", List.of(b, a, c), List.of(PageFixtures.trainingRun()), List.of(), 0,
                Map.of("eval_runs", TableState.PRESENT, "training_runs", TableState.PRESENT, "job_runs", TableState.EMPTY)));
        assertEquals(List.of("0.5"), rowValues(html, "data-series", "clip-b32 / pets"));
        assertEquals(List.of("0.875"), rowValues(html, "data-series", "clip-l14 / pets"));
        assertEquals(List.of("1.25"), rowValues(html, "data-series", "blip-base / pets"));
        assertTrue(html.contains("id=\"headline-zeroshot\"") && html.contains("id=\"headline-captions\""));
        assertTrue(html.contains("href=\"runs/zs-b.html\"") && html.contains("href=\"training/train-1.html\""));
        String table = html.substring(html.indexOf("id=\"eval-runs\""));
        assertTrue(table.indexOf("data-run=\"zs-b\"") < table.indexOf("data-run=\"zs-a\""), "newest first as given");
    }

    @Test
    void zeroShotPageShowsMetricsRecallConfusionAndExamples() {
        String html = site.run(PageFixtures.zeroShot());
        assertEquals(List.of("0.625"), values(html, "data-metric", "top1_accuracy"));
        assertTrue(html.contains("data-label=\"cat\"><th>cat</th><td class=\"num\" data-value=\"0.75\""), html);
        assertTrue(html.contains("data-true=\"cat\" data-predicted=\"cat\" data-value=\"3\""), "heatmap cell cat→cat");
        assertTrue(html.contains(">3</td>") && html.contains(">2</td>"), "the heatmap shows counts");
        assertTrue(html.contains("src=\"../thumbs/" + "a".repeat(64) + ".jpg\""), "stored bytes: the thumbnail");
        assertTrue(html.contains("src=\"file:///data/b.png\""), "no bytes: the original location");
        assertTrue(html.contains("p = 0.9"), html);
        assertTrue(html.contains("data-parameter=\"prompt\""));
        assertTrue(html.contains("Model</span><span class=\"fact-value mono\" data-fact=\"model\">clip-b32"));
        assertTrue(html.contains("2025-03-01 10:00:00 UTC") && html.contains("1 min 35 s"), "when, and how long");
    }

    @Test
    void liveServerPagesNeverPointAtLocalFiles() {
        String html = new DashboardSite(true).run(PageFixtures.zeroShot());
        assertFalse(html.contains("file:///data/b.png"), "browsers block file:// images on http:// pages");
        assertTrue(html.contains("image not viewable"));
        assertTrue(html.contains("live · read"));
    }

    @Test
    void captionPageShowsEveryImageWithCaptionsAndScores() {
        String html = site.run(PageFixtures.captions());
        assertEquals(List.of("1.5", "0.125"), values(html, "data-metric", "CIDEr").subList(1, 3), "after the corpus metric");
        assertEquals(List.of("0.8125"), values(html, "data-metric", "CIDEr").subList(0, 1));
        assertTrue(html.contains("model output: a picture of a cat"));
        assertTrue(html.contains("no reference captions"));
        assertTrue(html.contains("id=\"gallery-sort\""));
        assertTrue(html.contains("2 images."));
    }

    @Test
    void retrievalPageChartsRecallAtKBothWays() {
        String html = site.run(PageFixtures.retrieval());
        Matcher m = Pattern.compile("<tr data-label=\"R@5\"><th>R@5</th><td class=\"num\" data-value=\"([^\"]*)\">[^<]*</td>"
                + "<td class=\"num\" data-value=\"([^\"]*)\">").matcher(html);
        assertTrue(m.find(), html);
        assertEquals("0.5", m.group(1));
        assertEquals("0.4", m.group(2));
        assertTrue(html.contains("data-chart=\"bar\""));
    }

    @Test
    void trainingPageShowsLossCurveAndBeforeAfter() {
        String html = site.training(PageFixtures.training());
        assertEquals(List.of("2.5", "1.25", "0.75"), rowValues(html, "data-series", "loss"));
        assertTrue(html.contains("data-metric=\"loss\"><th>loss</th><td class=\"num\" data-value=\"2.5\""), html);
        assertTrue(html.contains("-1.75"), "the change");
        assertTrue(html.contains("href=\"../runs/ft-1.html\""));
        assertTrue(html.contains("1 h 02 min"));
    }

    @Test
    void otherKindsGetAMetricsPageLinkedToTheirTrainingRun() {
        EvalRun ft = new EvalRun("ft-1", "finetune", "clip-b32-ft", "pets", Map.of("training_run_id", "train-1"),
                PageFixtures.map("loss_start", 2.5), null, PageFixtures.T0, PageFixtures.T0);
        String html = site.run(new Pages.Metrics(ft, PageFixtures.trainingRun()));
        assertTrue(html.contains("href=\"../training/train-1.html\""), html);
        String unlinked = site.run(new Pages.Metrics(ft, null));
        assertTrue(unlinked.contains("which is not in"), unlinked);
    }

    @Test
    void notFoundPageEscapesThePath() {
        String html = site.notFound("There is no page " + EVIL + ".", "");
        assertTrue(html.contains(EVIL_ESCAPED));
    }

    @Test
    void imageSourcesAreOnlyWhatABrowserCanLoad() {
        assertNull(Formats.imageUri("javascript:alert(1)"));
        assertNull(Formats.imageUri("s3a://bucket/x.png"));
        assertEquals("https://x/y.png", Formats.imageUri("https://x/y.png"));
        assertEquals("file:///d/x%20y.png", Formats.imageUri("/d/x y.png"));
    }
}
