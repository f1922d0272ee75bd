package io.lakelens.jobs.dashboard;

import io.lakelens.jobs.tables.MetricNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The pure pieces behind the pages: formats, names, selections, before/after, thumbnails. */
class DashboardLogicTest {

    @Test
    void numbersAreShortButHonest() {
        assertEquals("0.8312", Formats.number(0.83124));
        assertEquals("12.35", Formats.number(12.345678));
        assertEquals("500", Formats.number(500.0));
        assertEquals("1235", Formats.number(1234.56));
        assertEquals("0.00001235", Formats.number(0.0000123456));
        assertEquals("–", Formats.number(null));
        assertEquals("–", Formats.number(Double.NaN));
        assertEquals("", Formats.exact(null));
        assertEquals("0.1", Formats.exact(0.1));
    }

    @Test
    void durationsRead() {
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        assertEquals("3.2 s", Formats.duration(t, t.plusMillis(3200)));
        assertEquals("4 min 05 s", Formats.duration(t, t.plusSeconds(245)));
        assertEquals("–", Formats.duration(t, null));
    }

    @Test
    void pagePathsNeverLeaveTheirFolderAndNeverCollide() {
        assertEquals("runs/zeroshot-20250101-ab12.html", PagePaths.evalRun("zeroshot-20250101-ab12"));
        String odd = PagePaths.evalRun("../../etc/passwd");
        assertTrue(odd.matches("runs/[A-Za-z0-9_-]+-[0-9a-f]{12}\\.html"), odd);
        assertFalse(PagePaths.evalRun("a/b").equals(PagePaths.evalRun("a_b")));
        assertFalse(PagePaths.evalRun("a b").equals(PagePaths.evalRun("a/b")));
    }

    @Test
    void confusedPairsAreTheLargestMistakes() {
        List<ConfusionCell> cells = List.of(new ConfusionCell("a", "a", 50), new ConfusionCell("a", "b", 3),
                new ConfusionCell("b", "a", 7), new ConfusionCell("c", "a", 3), new ConfusionCell("c", "b", 0));
        List<ConfusedPair> top = ConfusedPairs.top(cells, 2);
        assertEquals(List.of("b→a:7", "a→b:3"),
                top.stream().map(p -> p.trueLabel() + "→" + p.predictedLabel() + ":" + p.count()).toList());
    }

    @Test
    void confusionMatrixKeepsTheLabelsMostInvolvedInMistakes() {
        List<ConfusionCell> cells = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            cells.add(new ConfusionCell("l" + i, "l" + i, 10));
        }
        cells.add(new ConfusionCell("l3", "l4", 6));
        cells.add(new ConfusionCell("l0", "l4", 1));
        ConfusionMatrix m = ConfusionMatrix.of(cells, 3);
        assertEquals(List.of("l0", "l3", "l4"), m.labels());
        assertTrue(m.isPartial());
        assertEquals(5, m.totalLabels());
        assertEquals(6, m.rows().get(1).cells().get(2).count());
        assertEquals(0.6, m.rows().get(1).cells().get(2).heat(), 1e-12);
        assertEquals(0, m.rows().get(0).cells().get(1).count(), "absent cells count 0");
        assertFalse(ConfusionMatrix.of(cells, 30).isPartial());
    }

    @Test
    void chartedClassesAreTheExtremesLowestFirst() {
        List<ClassResult> classes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            classes.add(new ClassResult("c" + i, 1, null, i / 10.0, null, null));
        }
        classes.add(new ClassResult("empty", 0, null, null, null, null));
        assertEquals(List.of("c0", "c1", "c8", "c9"),
                Pages.ZeroShot.chartable(classes, 4).stream().map(ClassResult::label).toList());
        assertEquals(10, Pages.ZeroShot.chartable(classes, 40).size(), "classes without recall are left out");
    }

    @Test
    void thinnedCurvesKeepTheLastStep() {
        List<TrainingStep> steps = new ArrayList<>();
        for (int i = 0; i < 2501; i++) {
            steps.add(new TrainingStep(i, 0, 1.0 / (i + 1), 1e-5));
        }
        List<TrainingStep> thin = Pages.Training.thin(steps, 1000);
        assertTrue(thin.size() <= 1000, "size " + thin.size());
        assertEquals(0, thin.get(0).step());
        assertEquals(2500, thin.get(thin.size() - 1).step());
        assertEquals(steps.subList(0, 10), Pages.Training.thin(steps.subList(0, 10), 1000));
    }

    @Test
    void beforeAfterFromMetricPairsAndFromRunsBeforeAndAfter() {
        TrainingRun t = PageFixtures.trainingRun();
        Instant t0 = PageFixtures.T0;
        EvalRun ft = new EvalRun("ft", "finetune", "clip-b32-ft", "pets", Map.of("training_run_id", "train-1"),
                PageFixtures.map("loss_start", 2.0, "loss_end", 0.5, "steps", 10), null, t0, t0);
        EvalRun before = new EvalRun("zs-before", "zeroshot", "clip-b32", "pets", Map.of("training_run_id", "train-1"),
                PageFixtures.map("top1_accuracy", 0.5), null, t0, t0);
        EvalRun after = new EvalRun("zs-after", "zeroshot", "clip-b32-ft", "pets", Map.of("training_run_id", "train-1"),
                PageFixtures.map("top1_accuracy", 0.75), null, t0.plusSeconds(1), t0.plusSeconds(1));
        List<MetricChange> changes = BeforeAfter.of(t, List.of(ft, before, after));
        assertEquals(List.of(
                new MetricChange("loss", 2.0, 0.5, "ft"),
                new MetricChange("zeroshot on pets: top1_accuracy", 0.5, 0.75, "zs-before → zs-after")), changes);
        assertEquals(List.of(), BeforeAfter.of(t, List.of(after)), "no before run, nothing to compare");
        EvalRun staged = new EvalRun("s", "zeroshot", "other", "pets", Map.of("stage", "before"),
                PageFixtures.map("top1_accuracy", 0.25), null, t0, t0);
        assertEquals(0.25, BeforeAfter.of(t, List.of(staged, after)).get(0).before(), "an explicit stage wins");
    }

    @Test
    void thumbnailsAreSmallJpegsAndBadBytesGiveAPlaceholder() throws Exception {
        BufferedImage big = new BufferedImage(800, 400, BufferedImage.TYPE_INT_ARGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(big, "png", png);
        BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(Thumbnails.of(png.toByteArray())));
        assertEquals(160, thumb.getWidth());
        assertEquals(80, thumb.getHeight());
        BufferedImage placeholder = ImageIO.read(new ByteArrayInputStream(Thumbnails.of(new byte[] {1, 2, 3})));
        assertEquals(Thumbnails.MAX_SIDE, placeholder.getWidth());
    }

    @Test
    void metricsAreOrderedKnownFirst() {
        assertEquals(List.of("top1_accuracy", "top5_accuracy", "a_custom", "z_custom"), List.copyOf(MetricNames.ordered("zeroshot",
                PageFixtures.map("z_custom", 1, "top5_accuracy", 1, "a_custom", 1, "top1_accuracy", 1)).keySet()));
    }

    @Test
    void assetsComeFromTheClasspath() {
        assertTrue(new String(Assets.read("chart.umd.min.js"), java.nio.charset.StandardCharsets.UTF_8).contains("Chart.js v4"));
        for (String name : Assets.NAMES) {
            assertTrue(Assets.read(name).length > 100, name);
        }
    }
}
