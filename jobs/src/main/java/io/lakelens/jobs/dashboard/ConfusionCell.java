package io.lakelens.jobs.dashboard;

/** One row of {@code eval_confusion}: images of {@code trueLabel} predicted as {@code predictedLabel}. */
public record ConfusionCell(String trueLabel, String predictedLabel, long count) {

    public boolean isError() {
        return !trueLabel.equals(predictedLabel);
    }
}
