package io.lakelens.jobs.dashboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The confusion matrix as a heatmap table: rows are true labels, columns predicted labels. With many
 * classes a full matrix is unreadable, so it keeps the {@code maxLabels} labels most involved in
 * mistakes and says how many it left out.
 *
 * @param labels row and column labels, sorted
 * @param rows one per label, in the order of {@code labels}
 * @param totalLabels labels in the run's matrix before selection
 */
public record ConfusionMatrix(List<String> labels, List<Row> rows, int totalLabels, long maxCount) {

    /** A matrix cell; {@code heat} is count / the matrix's largest count, in [0, 1]. */
    public record Cell(String predictedLabel, long count, double heat, boolean diagonal) {}

    public record Row(String trueLabel, List<Cell> cells) {}

    public static ConfusionMatrix of(List<ConfusionCell> cells, int maxLabels) {
        TreeSet<String> all = new TreeSet<>();
        Map<String, Long> mistakes = new HashMap<>();
        Map<String, Long> counts = new HashMap<>();
        for (ConfusionCell c : cells) {
            all.add(c.trueLabel());
            all.add(c.predictedLabel());
            counts.merge(key(c.trueLabel(), c.predictedLabel()), c.count(), Long::sum);
            if (c.isError()) {
                mistakes.merge(c.trueLabel(), c.count(), Long::sum);
                mistakes.merge(c.predictedLabel(), c.count(), Long::sum);
            }
        }
        List<String> labels = all.size() <= maxLabels
                ? new ArrayList<>(all)
                : all.stream()
                        .sorted(Comparator.comparingLong((String l) -> mistakes.getOrDefault(l, 0L)).reversed()
                                .thenComparing(Comparator.naturalOrder()))
                        .limit(maxLabels)
                        .sorted()
                        .toList();
        long max = 0;
        for (String t : labels) {
            for (String p : labels) {
                max = Math.max(max, counts.getOrDefault(key(t, p), 0L));
            }
        }
        List<Row> rows = new ArrayList<>();
        for (String t : labels) {
            List<Cell> row = new ArrayList<>();
            for (String p : labels) {
                long n = counts.getOrDefault(key(t, p), 0L);
                row.add(new Cell(p, n, max == 0 ? 0 : (double) n / max, t.equals(p)));
            }
            rows.add(new Row(t, row));
        }
        return new ConfusionMatrix(List.copyOf(labels), rows, all.size(), max);
    }

    public boolean isPartial() {
        return labels.size() < totalLabels;
    }

    private static String key(String trueLabel, String predictedLabel) {
        return trueLabel + '\u0000' + predictedLabel;
    }
}
