package io.lakelens.jobs.dashboard;

import io.lakelens.jobs.tables.MetricNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** What each dashboard page shows, as plain records: {@link DashboardData} fills them, {@link DashboardSite} renders them. */
public final class Pages {

    private Pages() {}

    /** The page of one evaluation run; its form depends on the run's kind. */
    public sealed interface RunPage permits ZeroShot, Captions, Retrieval, Metrics {
        EvalRun run();

        /** Images the page shows as thumbnails. */
        default List<ImageRef> images() {
            return List.of();
        }
    }

    /**
     * The index.
     *
     * @param evalRuns newest first
     * @param trainingRuns newest first
     * @param jobRuns the newest job runs, at most a page's worth
     * @param jobRunsTotal how many job runs the table holds
     * @param warehouse the warehouse's root URI
     * @param tables the state of eval_runs, training_runs and job_runs, by table name
     */
    public record Index(
            String warehouse,
            List<EvalRun> evalRuns,
            List<TrainingRun> trainingRuns,
            List<JobRunSummary> jobRuns,
            long jobRunsTotal,
            Map<String, TableState> tables) {

        /** One chart per kind: the kind's headline metric of each run over time, oldest first. */
        public record HeadlineChart(String kind, String metric, List<EvalRun> runs) {}

        public List<HeadlineChart> headlineCharts() {
            List<HeadlineChart> charts = new ArrayList<>();
            for (String kind : MetricNames.KINDS) {
                List<EvalRun> runs = evalRuns.stream()
                        .filter(r -> r.kind().equals(kind) && r.headline() != null)
                        .sorted(Comparator.comparing(EvalRun::finishedAt))
                        .toList();
                if (!runs.isEmpty()) {
                    charts.add(new HeadlineChart(kind, MetricNames.headline(kind), runs));
                }
            }
            return charts;
        }
    }

    /**
     * A zero-shot run.
     *
     * @param classes every class, as in eval_per_class, by label
     * @param chartedClasses the classes the recall chart shows, lowest recall first
     * @param pairs the most confused pairs with example images
     * @param tables whether eval_per_class, eval_confusion and eval_predictions exist (PRESENT or MISSING)
     */
    public record ZeroShot(
            EvalRun run,
            List<ClassResult> classes,
            List<ClassResult> chartedClasses,
            ConfusionMatrix matrix,
            List<ConfusedPair> pairs,
            Map<String, TableState> tables) implements RunPage {

        @Override
        public List<ImageRef> images() {
            return pairs.stream().flatMap(p -> p.examples().stream()).map(Example::image).toList();
        }

        /**
         * The classes a bar chart can show legibly: all when there are at most {@code max}, else the
         * {@code max / 2} lowest and highest recalls. Lowest recall first; classes without recall
         * (no images) are left out.
         */
        public static List<ClassResult> chartable(List<ClassResult> classes, int max) {
            List<ClassResult> sorted = classes.stream()
                    .filter(c -> c.recall() != null)
                    .sorted(Comparator.comparing(ClassResult::recall).thenComparing(ClassResult::label))
                    .toList();
            if (sorted.size() <= max) {
                return sorted;
            }
            List<ClassResult> out = new ArrayList<>(sorted.subList(0, max / 2));
            out.addAll(sorted.subList(sorted.size() - (max - max / 2), sorted.size()));
            return out;
        }
    }

    /**
     * A caption run.
     *
     * @param items the gallery, highest CIDEr first
     * @param totalItems images the run scored (the gallery may show fewer)
     * @param scoresTable whether caption_scores exists (PRESENT or MISSING)
     */
    public record Captions(EvalRun run, List<CaptionItem> items, long totalItems, TableState scoresTable)
            implements RunPage {

        @Override
        public List<ImageRef> images() {
            return items.stream().map(CaptionItem::image).toList();
        }
    }

    /** A retrieval run: recall@k in both directions, from the run's metrics. */
    public record Retrieval(EvalRun run) implements RunPage {

        public record Recall(String k, Double imageToText, Double textToImage) {}

        public List<Recall> recalls() {
            List<Recall> out = new ArrayList<>();
            for (String k : List.of("1", "5", "10")) {
                Double i2t = run.metrics().get("image_to_text_R@" + k);
                Double t2i = run.metrics().get("text_to_image_R@" + k);
                if (i2t != null || t2i != null) {
                    out.add(new Recall("R@" + k, i2t, t2i));
                }
            }
            return out;
        }
    }

    /** Any other run (fine-tuning evaluations, unknown kinds): its metrics, and its training run if linked. */
    public record Metrics(EvalRun run, TrainingRun trainingRun) implements RunPage {}

    /**
     * A fine-tuning run.
     *
     * @param steps the loss curve, thinned to a chart's worth of points
     * @param totalSteps steps the table holds for the run
     * @param evaluations evaluation runs linked to it, newest first
     */
    public record Training(
            TrainingRun run,
            List<TrainingStep> steps,
            long totalSteps,
            List<EvalRun> evaluations,
            List<MetricChange> beforeAfter,
            TableState stepsTable) {

        /** Every {@code k}-th step so at most {@code max} remain, always keeping the last one. */
        public static List<TrainingStep> thin(List<TrainingStep> steps, int max) {
            if (steps.size() <= max) {
                return steps;
            }
            int every = (steps.size() + max - 2) / (max - 1);
            List<TrainingStep> out = new ArrayList<>();
            for (int i = 0; i < steps.size() - 1; i += every) {
                out.add(steps.get(i));
            }
            out.add(steps.get(steps.size() - 1));
            return out;
        }
    }
}
