package io.lakelens.jobs.dashboard;

import io.lakelens.jobs.tables.MetricNames;
import java.time.Instant;
import java.util.Map;

/**
 * One row of {@code eval_runs}.
 *
 * @param kind zeroshot, captions, retrieval or finetune (other values get a plain metrics page)
 * @param parameters sorted by name, for a stable display
 * @param metrics in display order: the kind's known metrics first, then the rest by name
 */
public record EvalRun(
        String runId,
        String kind,
        String modelId,
        String dataset,
        Map<String, String> parameters,
        Map<String, Double> metrics,
        String reportPath,
        Instant startedAt,
        Instant finishedAt) {

    /** Parameter that links an evaluation to the fine-tuning run it measured. */
    public static final String TRAINING_RUN_PARAMETER = "training_run_id";

    /** The name of the metric that stands for runs of this kind, or null for an unknown kind. */
    public String headlineMetric() {
        return MetricNames.headline(kind);
    }

    /** The value of the headline metric, or null when the run lacks it. */
    public Double headline() {
        String name = headlineMetric();
        return name == null ? null : metrics.get(name);
    }

    /** The fine-tuning run this evaluation belongs to, or null. */
    public String trainingRunId() {
        return parameters.get(TRAINING_RUN_PARAMETER);
    }

    /** "model / dataset": one chart series on the index. */
    public String series() {
        return modelId + " / " + dataset;
    }
}
