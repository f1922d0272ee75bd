package io.lakelens.jobs.dashboard;

import java.util.Comparator;
import java.util.List;

/** Picks the most frequent mistakes of a zero-shot run from its confusion matrix. */
public final class ConfusedPairs {

    private ConfusedPairs() {}

    /**
     * The {@code max} off-diagonal cells with the highest counts, highest first (ties by label, so the
     * page is stable between loads), without examples; cells with count 0 are not mistakes.
     */
    public static List<ConfusedPair> top(List<ConfusionCell> cells, int max) {
        return cells.stream()
                .filter(c -> c.isError() && c.count() > 0)
                .sorted(Comparator.comparingLong(ConfusionCell::count).reversed()
                        .thenComparing(ConfusionCell::trueLabel)
                        .thenComparing(ConfusionCell::predictedLabel))
                .limit(max)
                .map(c -> new ConfusedPair(c.trueLabel(), c.predictedLabel(), c.count(), List.of()))
                .toList();
    }
}
