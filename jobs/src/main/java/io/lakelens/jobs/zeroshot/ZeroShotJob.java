package io.lakelens.jobs.zeroshot;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.lakelens.eval.zeroshot.ClassMetrics;
import io.lakelens.eval.zeroshot.ZeroShotMetrics;
import io.lakelens.eval.zeroshot.ZeroShotReport;
import io.lakelens.jobs.JobOptions;
import io.lakelens.jobs.LakelensException;
import io.lakelens.jobs.embed.EmbedJob;
import io.lakelens.jobs.inference.ModelRef;
import io.lakelens.jobs.runs.JobRun;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.tables.DeltaMerge;
import io.lakelens.jobs.tables.LakelensTables;
import io.lakelens.jobs.tables.MetricNames;
import io.lakelens.models.clip.ClipEmbedder;
import io.lakelens.models.clip.ZeroShotClassifier;
import io.lakelens.models.runtime.ComputeDevice;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code lakelens zeroshot}: zero-shot classification accuracy of a CLIP model on a labelled dataset.
 * Embeds any image still without an embedding, computes the class prompts' text embeddings once on
 * the driver, classifies every image in executors, aggregates the confusion counts distributedly and
 * stores the run: {@code eval_runs}, {@code eval_per_class}, {@code eval_confusion},
 * {@code eval_predictions}, plus report.json and report.md in the run folder.
 */
public final class ZeroShotJob {

    /**
     * Options of a run.
     *
     * @param dataset labelled dataset
     * @param model CLIP folder or hf:// spec
     * @param labels labels file or comma-separated list
     * @param templates {@code single}, {@code imagenet80} or a file
     * @param topK how many predictions to keep per image (5 or more for top-5 accuracy)
     * @param embed the embed options used for images without an embedding
     * @param note a note shown at the top of the report (e.g. that the model is a random test model)
     */
    public record Options(String dataset, String model, String labels, String templates, int topK,
            EmbedJob.Options embed, String note) {
        public Options {
            JobOptions.dataset(dataset);
            JobOptions.model(model);
            JobOptions.atLeastOne("--top-k", topK);
            java.util.Objects.requireNonNull(embed, "embed");
        }
    }

    /** What a run produced. */
    public record Result(String runId, ZeroShotReport report, long excluded, String reportFolder) {}

    private final LakelensSession session;

    public ZeroShotJob(LakelensSession session) {
        this.session = session;
    }

    public Result run(Options o, PrintStream out) {
        ClassList classes = ClassList.parse(o.labels());
        List<String> templates = PromptTemplates.parse(o.templates());
        new EmbedJob(session).run(o.embed(), out);
        ModelRef model = ModelRef.resolve(session.spark(), o.model());
        Map<String, String> parameters = parameters(o, classes, templates);
        return JobRun.execute(session, "zeroshot", o.dataset(), model.modelId(), parameters, run -> {
            Result result = evaluate(o, classes, templates, model, run, parameters, out);
            run.count("images", result.report().numImages()).count("excluded", result.excluded())
                    .items(result.report().numImages());
            return result;
        });
    }

    private Result evaluate(Options o, ClassList classes, List<String> templates, ModelRef model, JobRun run,
            Map<String, String> parameters, PrintStream out) {
        SparkSession spark = session.spark();
        String runId = run.runId();
        Instant started = run.startedAt();
        run.describe("class prompt embeddings");
        ZeroShotClassifier classifier;
        try (ClipEmbedder clip = ClipEmbedder.load(model.driverFolder(), ComputeDevice.cpu())) {
            classifier = ZeroShotClassifier.create(clip, classes.labels(), classes.promptNames(), templates);
        }
        String modelId = model.modelId();
        Dataset<Row> labelled = spark.table(LakelensTables.IMAGES.qualifiedName())
                .where(col("dataset").equalTo(o.dataset()))
                .select("image_id", "label");
        Dataset<Row> embeddings = spark.table(LakelensTables.IMAGE_EMBEDDINGS.qualifiedName())
                .where(col("model_id").equalTo(modelId)).select("image_id", "embedding");
        Dataset<Row> joined = labelled.join(embeddings, "image_id");
        Dataset<Row> evaluable = joined.where(col("label").isin(classes.labels().toArray()));
        run.describe("classifying images");
        long all = labelled.count();
        Dataset<Row> predictions = evaluable.select("image_id", "label", "embedding")
                .mapPartitions(new ZeroShotPredictor(spark.sparkContext().broadcast(classifier,
                        scala.reflect.ClassTag$.MODULE$.apply(ZeroShotClassifier.class)), o.topK()),
                        Encoders.row(ZeroShotPredictor.SCHEMA))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<Row> cells = predictions.groupBy("true_label", "predicted_label").agg(count(lit(1)).as("n")).collectAsList();
            List<Row> hits = predictions.groupBy("true_label")
                    .agg(sum(when(col("top5_hit"), 1).otherwise(0)).as("hits")).collectAsList();
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < classes.labels().size(); i++) {
                index.put(classes.labels().get(i), i);
            }
            int c = classes.labels().size();
            long[][] confusion = new long[c][c];
            for (Row r : cells) {
                confusion[index.get(r.getString(0))][index.get(r.getString(1))] = r.getLong(2);
            }
            long[] top5 = new long[c];
            for (Row r : hits) {
                top5[index.get(r.getString(0))] = r.getLong(1);
            }
            long evaluated = 0;
            for (long[] row : confusion) {
                for (long v : row) {
                    evaluated += v;
                }
            }
            if (evaluated == 0) {
                throw new LakelensException("no image of dataset '" + o.dataset() + "' has both an embedding and a label"
                        + " among the " + c + " classes (labels: " + String.join(", ", classes.labels()) + ")");
            }
            ZeroShotReport report = ZeroShotMetrics.fromCounts(classes.labels(), confusion, c >= 5 ? top5 : null);
            long excluded = all - evaluated;
            Instant finished = Instant.now();
            Map<String, Double> metrics = metrics(report, excluded);
            String folder = session.warehouse().runsLocation() + "/" + runId;
            store(run, modelId, o.dataset(), parameters, metrics, folder, report, top5, predictions);
            new ZeroShotReportFiles(spark).write(folder, runId, modelId, o.dataset(), parameters, metrics, report, top5,
                    excluded, o.note(), started, finished);
            out.printf("zeroshot: %d images, top-1 %.4f, top-5 %s, balanced accuracy %.4f (%d excluded: no embedding or"
                            + " label outside the classes); report in %s%n",
                    report.numImages(), report.top1Accuracy(),
                    Double.isNaN(report.top5Accuracy()) ? "n/a" : String.format("%.4f", report.top5Accuracy()),
                    report.meanPerClassRecall(), excluded, folder);
            out.flush();
            return new Result(runId, report, excluded, folder);
        } finally {
            predictions.unpersist();
        }
    }

    private static Map<String, Double> metrics(ZeroShotReport r, long excluded) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("top1_accuracy", r.top1Accuracy());
        if (!Double.isNaN(r.top5Accuracy())) {
            m.put("top5_accuracy", r.top5Accuracy());
        }
        m.put("balanced_accuracy", r.meanPerClassRecall());
        m.put("num_images", (double) r.numImages());
        m.put("num_classes", (double) r.perClass().size());
        m.put("excluded_images", (double) excluded);
        return m;
    }

    private void store(JobRun run, String modelId, String dataset, Map<String, String> parameters,
            Map<String, Double> metrics, String folder, ZeroShotReport report, long[] top5, Dataset<Row> predictions) {
        SparkSession spark = session.spark();
        String runId = run.runId();
        run.describe("storing the run");
        // Details first, the eval_runs row last: a run listed in eval_runs always has its details.
        DeltaMerge.insertNew(spark, session.catalog(), LakelensTables.EVAL_PREDICTIONS,
                predictions.select(lit(runId).as("run_id"), col("image_id"), col("true_label"), col("predicted_label"),
                        col("top_labels"), col("top_probs")));
        List<Row> perClass = new ArrayList<>();
        long[][] counts = report.confusion().counts();
        for (ClassMetrics m : report.perClass()) {
            boolean hasSupport = m.support() > 0;
            long predictedAs = 0;
            for (long[] row : counts) {
                predictedAs += row[m.classIndex()];
            }
            perClass.add(RowFactory.create(runId, m.className(), m.support(), predictedAs > 0 ? m.precision() : null,
                    hasSupport ? m.recall() : null, m.f1(),
                    hasSupport && top5 != null && report.perClass().size() >= 5 ? top5[m.classIndex()] / (double) m.support() : null));
        }
        DeltaMerge.insertNew(spark, session.catalog(), LakelensTables.EVAL_PER_CLASS,
                spark.createDataFrame(perClass, LakelensTables.EVAL_PER_CLASS.schema()));
        List<Row> cells = new ArrayList<>();
        List<String> names = report.confusion().classNames();
        for (int t = 0; t < counts.length; t++) {
            for (int p = 0; p < counts.length; p++) {
                if (counts[t][p] > 0) {
                    cells.add(RowFactory.create(runId, names.get(t), names.get(p), counts[t][p]));
                }
            }
        }
        DeltaMerge.insertNew(spark, session.catalog(), LakelensTables.EVAL_CONFUSION,
                spark.createDataFrame(cells, LakelensTables.EVAL_CONFUSION.schema()));
        run.record(new JobRun.Evaluation(MetricNames.ZEROSHOT, modelId, dataset, parameters, metrics, folder));
    }

    private static Map<String, String> parameters(Options o, ClassList classes, List<String> templates) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("dataset", o.dataset());
        p.put("model", o.model());
        p.put("labels", String.join(",", classes.labels()));
        p.put("templates", o.templates() == null ? "single" : o.templates());
        p.put("num_templates", Integer.toString(templates.size()));
        p.put("top_k", Integer.toString(o.topK()));
        if (o.note() != null) {
            p.put("note", o.note());
        }
        return p;
    }
}
