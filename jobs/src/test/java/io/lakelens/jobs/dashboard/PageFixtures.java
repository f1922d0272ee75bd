package io.lakelens.jobs.dashboard;

import io.lakelens.jobs.tables.MetricNames;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-made records for renderer tests: no Spark. */
final class PageFixtures {

    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    static final String EVIL = "<script>alert('x')</script> & \"quoted\"";

    private PageFixtures() {}

    static EvalRun run(String id, String kind, Map<String, Double> metrics, Map<String, String> parameters) {
        return new EvalRun(id, kind, "clip-b32", "pets", parameters, MetricNames.ordered(kind, metrics), null,
                T0, T0.plusSeconds(95));
    }

    static Map<String, Double> map(Object... keyThenValue) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < keyThenValue.length; i += 2) {
            out.put((String) keyThenValue[i], ((Number) keyThenValue[i + 1]).doubleValue());
        }
        return out;
    }

    static Pages.ZeroShot zeroShot() {
        EvalRun run = run("zs-1", "zeroshot", map("top1_accuracy", 0.625, "top5_accuracy", 1.0, "num_images", 8),
                Map.of("prompt", EVIL));
        List<ClassResult> classes = List.of(
                new ClassResult("cat", 4, 0.75, 0.75, 0.75, 1.0),
                new ClassResult(EVIL, 4, 0.5, 0.5, 0.5, 1.0));
        List<ConfusionCell> cells = List.of(
                new ConfusionCell("cat", "cat", 3), new ConfusionCell("cat", EVIL, 1),
                new ConfusionCell(EVIL, EVIL, 2), new ConfusionCell(EVIL, "cat", 2));
        ImageRef stored = new ImageRef("a".repeat(64), "/data/a.png", true);
        ImageRef byUri = new ImageRef("b".repeat(64), "/data/b.png", false);
        List<ConfusedPair> pairs = List.of(
                new ConfusedPair(EVIL, "cat", 2, List.of(new Example(stored, 0.9), new Example(byUri, 0.6))),
                new ConfusedPair("cat", EVIL, 1, List.of()));
        return new Pages.ZeroShot(run, classes, Pages.ZeroShot.chartable(classes, 40), ConfusionMatrix.of(cells, 30), pairs,
                Map.of("eval_per_class", TableState.PRESENT, "eval_confusion", TableState.PRESENT,
                        "eval_predictions", TableState.PRESENT));
    }

    static Pages.Captions captions() {
        EvalRun run = run("cap-1", "captions", map("CIDEr", 0.8125, "CLIPScore", 0.7, "Bleu_4", 0.25), Map.of());
        return new Pages.Captions(run, List.of(
                new CaptionItem(new ImageRef("c".repeat(64), "/x.png", true), "a cat " + EVIL, "a picture of a cat",
                        List.of("ref one " + EVIL, "ref two"), MetricNames.ordered("captions", map("CIDEr", 1.5, "CLIPScore", 0.6))),
                new CaptionItem(ImageRef.unknown("d".repeat(64)), "a dog", null, List.of(),
                        MetricNames.ordered("captions", map("CIDEr", 0.125, "CLIPScore", 0.8)))),
                2, TableState.PRESENT);
    }

    static Pages.Retrieval retrieval() {
        return new Pages.Retrieval(run("ret-1", "retrieval", map(
                "image_to_text_R@1", 0.25, "image_to_text_R@5", 0.5, "image_to_text_R@10", 0.75,
                "text_to_image_R@1", 0.2, "text_to_image_R@5", 0.4, "text_to_image_R@10", 0.6), Map.of()));
    }

    static TrainingRun trainingRun() {
        return new TrainingRun("train-1", "clip-b32", "pets", "/ckpt", Map.of("lr", "1e-5"), "succeeded", null,
                T0, T0.plusSeconds(3725));
    }

    static Pages.Training training() {
        EvalRun ft = new EvalRun("ft-1", "finetune", "clip-b32-ft", "pets", Map.of("training_run_id", "train-1"),
                map("loss_start", 2.5, "loss_end", 0.75), null, T0, T0.plusSeconds(5));
        List<TrainingStep> steps = List.of(new TrainingStep(0, 0, 2.5, 1e-5), new TrainingStep(1, 0, 1.25, 1e-5),
                new TrainingStep(2, 1, 0.75, 5e-6));
        return new Pages.Training(trainingRun(), steps, 3, List.of(ft), BeforeAfter.of(trainingRun(), List.of(ft)),
                TableState.PRESENT);
    }

    static Pages.Index emptyIndex() {
        return new Pages.Index("file:/wh", List.of(), List.of(), List.of(), 0, Map.of(
                "eval_runs", TableState.MISSING, "training_runs", TableState.EMPTY, "job_runs", TableState.MISSING));
    }
}
