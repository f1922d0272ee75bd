package io.lakelens.jobs.dashboard;

import io.lakelens.jobs.tables.MetricNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What fine-tuning changed, from the evaluation runs linked to a training run
 * ({@code parameters.training_run_id}). Two sources:
 *
 * <ul>
 *   <li>pairs inside one run's metrics: {@code X_start}/{@code X_end} or {@code X_before}/{@code X_after}
 *       (what {@code finetune} runs write, e.g. loss_start and loss_end);
 *   <li>two runs of the same kind on the same dataset, one before and one after: the run whose
 *       {@code parameters.stage} is "before", or else that evaluated the training run's starting model,
 *       against the newest run whose stage is "after" or, without a stage, of another model. Their shared metrics are compared.
 * </ul>
 */
public final class BeforeAfter {

    static final String STAGE_PARAMETER = "stage";

    private BeforeAfter() {}

    public static List<MetricChange> of(TrainingRun training, List<EvalRun> linked) {
        List<MetricChange> out = new ArrayList<>();
        for (EvalRun run : linked) {
            out.addAll(withinRun(run));
        }
        Map<String, List<EvalRun>> byKindAndDataset = new LinkedHashMap<>();
        for (EvalRun run : linked) {
            if (!MetricNames.FINETUNE.equals(run.kind())) {
                byKindAndDataset.computeIfAbsent(run.kind() + " on " + run.dataset(), k -> new ArrayList<>()).add(run);
            }
        }
        byKindAndDataset.forEach((group, runs) -> out.addAll(acrossRuns(training, group, runs)));
        return out;
    }

    private static List<MetricChange> withinRun(EvalRun run) {
        List<MetricChange> out = new ArrayList<>();
        String[][] suffixes = {{"_start", "_end"}, {"_before", "_after"}};
        for (Map.Entry<String, Double> e : run.metrics().entrySet()) {
            for (String[] s : suffixes) {
                if (e.getKey().endsWith(s[0])) {
                    String base = e.getKey().substring(0, e.getKey().length() - s[0].length());
                    Double after = run.metrics().get(base + s[1]);
                    if (after != null && e.getValue() != null) {
                        out.add(new MetricChange(base, e.getValue(), after, run.runId()));
                    }
                }
            }
        }
        return out;
    }

    private static boolean isAfter(EvalRun run, TrainingRun training) {
        String stage = run.parameters().get(STAGE_PARAMETER);
        return stage == null ? !run.modelId().equals(training.modelId()) : stage.equals("after");
    }

    private static List<MetricChange> acrossRuns(TrainingRun training, String group, List<EvalRun> runs) {
        Comparator<EvalRun> newestFirst = Comparator.comparing(EvalRun::startedAt).reversed();
        EvalRun before = runs.stream().filter(r -> "before".equals(r.parameters().get(STAGE_PARAMETER)))
                .sorted(newestFirst).findFirst()
                .orElse(runs.stream()
                        .filter(r -> r.parameters().get(STAGE_PARAMETER) == null && r.modelId().equals(training.modelId()))
                        .sorted(newestFirst).findFirst().orElse(null));
        if (before == null) {
            return List.of();
        }
        EvalRun after = runs.stream().filter(r -> r != before && isAfter(r, training))
                .sorted(newestFirst).findFirst().orElse(null);
        if (after == null) {
            return List.of();
        }
        List<MetricChange> out = new ArrayList<>();
        before.metrics().forEach((name, value) -> {
            Double a = after.metrics().get(name);
            if (value != null && a != null) {
                out.add(new MetricChange(group + ": " + name, value, a, before.runId() + " → " + after.runId()));
            }
        });
        return out;
    }
}
