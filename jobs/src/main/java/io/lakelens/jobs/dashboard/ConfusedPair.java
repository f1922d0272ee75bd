package io.lakelens.jobs.dashboard;

import java.util.List;

/** A frequent mistake of a zero-shot run: {@code count} images of {@code trueLabel} predicted as {@code predictedLabel}. */
public record ConfusedPair(String trueLabel, String predictedLabel, long count, List<Example> examples) {}
