package io.lakelens.jobs.zeroshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lakelens.eval.zeroshot.ClassMetrics;
import io.lakelens.eval.zeroshot.ConfusedPair;
import io.lakelens.eval.zeroshot.ZeroShotReport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** Writes a zero-shot run's {@code report.json} (for programs) and {@code report.md} (for people). */
final class ZeroShotReportFiles {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final SparkSession spark;

    ZeroShotReportFiles(SparkSession spark) {
        this.spark = spark;
    }

    void write(String folder, String runId, String modelId, String dataset, Map<String, String> parameters,
            Map<String, Double> metrics, ZeroShotReport report, long[] top5, long excluded, String note,
            Instant started, Instant finished) {
        ObjectNode root = JSON.createObjectNode();
        root.put("run_id", runId).put("kind", "zeroshot").put("model_id", modelId).put("dataset", dataset);
        if (note != null) {
            root.put("note", note);
        }
        root.put("started_at", started.toString()).put("finished_at", finished.toString());
        ObjectNode params = root.putObject("parameters");
        parameters.forEach(params::put);
        ObjectNode m = root.putObject("metrics");
        metrics.forEach(m::put);
        ArrayNode perClass = root.putArray("per_class");
        for (ClassMetrics c : report.perClass()) {
            ObjectNode o = perClass.addObject().put("label", c.className()).put("support", c.support())
                    .put("precision", c.precision()).put("recall", c.recall()).put("f1", c.f1());
            if (top5 != null && c.support() > 0 && report.perClass().size() >= 5) {
                o.put("top5_recall", top5[c.classIndex()] / (double) c.support());
            }
        }
        ObjectNode confusion = root.putObject("confusion");
        ArrayNode labels = confusion.putArray("labels");
        report.confusion().classNames().forEach(labels::add);
        ArrayNode matrix = confusion.putArray("counts");
        for (long[] row : report.confusion().counts()) {
            ArrayNode r = matrix.addArray();
            for (long v : row) {
                r.add(v);
            }
        }
        ArrayNode pairs = root.putArray("most_confused");
        for (ConfusedPair p : report.mostConfusedPairs(10)) {
            pairs.addObject().put("true_label", p.trueName()).put("predicted_label", p.predictedName())
                    .put("count", p.count());
        }
        root.put("excluded_images", excluded);
        try {
            writeFile(folder + "/report.json", JSON.writeValueAsBytes(root));
            writeFile(folder + "/report.md", markdown(runId, modelId, dataset, parameters, report, excluded, note,
                    started, finished).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + folder + ": " + e.getMessage(), e);
        }
    }

    static String markdown(String runId, String modelId, String dataset, Map<String, String> parameters,
            ZeroShotReport r, long excluded, String note, Instant started, Instant finished) {
        StringBuilder md = new StringBuilder();
        md.append("# Zero-shot classification: ").append(dataset).append("\n\n");
        if (note != null) {
            md.append("> **").append(note).append("**\n\n");
        }
        md.append("- model: `").append(modelId).append("`\n");
        md.append("- run: `").append(runId).append("`, ").append(started).append(" to ").append(finished).append('\n');
        md.append("- templates: ").append(parameters.get("templates")).append(" (")
                .append(parameters.get("num_templates")).append("), classes: ").append(r.perClass().size()).append('\n');
        md.append("- images: ").append(r.numImages()).append(" evaluated, ").append(excluded)
                .append(" excluded (no embedding, or a label outside the classes)\n\n");
        md.append("| metric | value |\n|---|---|\n");
        md.append(row("top-1 accuracy", r.top1Accuracy()));
        md.append(row("top-5 accuracy", r.top5Accuracy()));
        md.append(row("balanced accuracy (mean per-class recall)", r.meanPerClassRecall()));
        if (!r.classesWithoutSupport().isEmpty()) {
            md.append("\nClasses without images (left out of the balanced accuracy): ")
                    .append(String.join(", ", r.classesWithoutSupport())).append('\n');
        }
        md.append("\n## Per class\n\n| label | support | precision | recall | F1 |\n|---|---:|---:|---:|---:|\n");
        for (ClassMetrics c : r.perClass()) {
            md.append("| ").append(c.className()).append(" | ").append(c.support()).append(" | ")
                    .append(fmt(c.precision())).append(" | ").append(fmt(c.recall())).append(" | ")
                    .append(fmt(c.f1())).append(" |\n");
        }
        md.append("\n## Most confused pairs\n\n");
        List<ConfusedPair> pairs = r.mostConfusedPairs(10);
        if (pairs.isEmpty()) {
            md.append("None: every image got its own label.\n");
        } else {
            md.append("| true | predicted | images |\n|---|---|---:|\n");
            for (ConfusedPair p : pairs) {
                md.append("| ").append(p.trueName()).append(" | ").append(p.predictedName()).append(" | ")
                        .append(p.count()).append(" |\n");
            }
        }
        md.append("\n## Confusion matrix (rows: true, columns: predicted)\n\n|   |");
        List<String> names = r.confusion().classNames();
        names.forEach(n -> md.append(' ').append(n).append(" |"));
        md.append("\n|---|").append("---:|".repeat(names.size())).append('\n');
        long[][] counts = r.confusion().counts();
        for (int t = 0; t < counts.length; t++) {
            md.append("| ").append(names.get(t)).append(" |");
            for (long v : counts[t]) {
                md.append(' ').append(v).append(" |");
            }
            md.append('\n');
        }
        return md.toString();
    }

    private static String row(String name, double v) {
        return "| " + name + " | " + fmt(v) + " |\n";
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    private void writeFile(String file, byte[] bytes) throws IOException {
        Path p = new Path(file);
        FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        try (OutputStream out = fs.create(p, true)) {
            out.write(bytes);
        }
    }
}
