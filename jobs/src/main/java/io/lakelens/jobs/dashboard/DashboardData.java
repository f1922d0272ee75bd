package io.lakelens.jobs.dashboard;

import io.lakelens.jobs.tables.MetricNames;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.expr;

import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.tables.LakelensTables;
import io.lakelens.jobs.tables.TableCatalog;
import io.lakelens.jobs.tables.TableSpec;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads the warehouse's tables into the dashboard's plain records ({@link Pages}). Every call reads
 * the Delta tables afresh by path, so a live dashboard sees what another process wrote a moment ago,
 * tables created after it started included. A missing table reads as no rows, and the page says so.
 *
 * <p>Only the rows a page shows are collected: a run's rows by {@code run_id}, images by id.
 */
public final class DashboardData {

    public static final int DEFAULT_GALLERY_LIMIT = 300;
    static final int JOB_RUNS_SHOWN = 200;
    static final int CHARTED_CLASSES = 40;
    static final int MATRIX_LABELS = 30;
    static final int PAIRS_SHOWN = 10;
    static final int EXAMPLES_PER_PAIR = 4;
    static final int CURVE_POINTS = 1000;

    private static final Comparator<EvalRun> NEWEST_FIRST =
            Comparator.comparing(EvalRun::startedAt).reversed().thenComparing(EvalRun::runId);

    private final SparkSession spark;
    private final TableCatalog catalog;
    private final int galleryLimit;

    public DashboardData(LakelensSession session, int galleryLimit) {
        if (galleryLimit < 2) {
            throw new IllegalArgumentException("gallery limit must be at least 2, got " + galleryLimit);
        }
        this.spark = session.spark();
        this.catalog = session.catalog();
        this.galleryLimit = galleryLimit;
    }

    public Pages.Index index() {
        List<EvalRun> evalRuns = evalRuns();
        List<TrainingRun> trainingRuns = trainingRuns();
        Optional<Dataset<Row>> jobs = read(LakelensTables.JOB_RUNS);
        List<JobRunSummary> jobRuns = jobs
                .map(df -> collect(df.orderBy(col("started_at").desc(), col("run_id")).limit(JOB_RUNS_SHOWN)))
                .orElse(List.of()).stream().map(DashboardData::jobRun).toList();
        long jobTotal = jobRuns.size() < JOB_RUNS_SHOWN ? jobRuns.size() : jobs.get().count();
        return new Pages.Index(catalog.warehouse().root(), evalRuns, trainingRuns, jobRuns, jobTotal, Map.of(
                LakelensTables.EVAL_RUNS.name(), state(LakelensTables.EVAL_RUNS, !evalRuns.isEmpty()),
                LakelensTables.TRAINING_RUNS.name(), state(LakelensTables.TRAINING_RUNS, !trainingRuns.isEmpty()),
                LakelensTables.JOB_RUNS.name(), state(LakelensTables.JOB_RUNS, !jobRuns.isEmpty())));
    }

    /** Every evaluation run, newest first. */
    public List<EvalRun> evalRuns() {
        return read(LakelensTables.EVAL_RUNS).map(DashboardData::collect).orElse(List.of()).stream()
                .map(DashboardData::evalRun)
                .sorted(NEWEST_FIRST)
                .toList();
    }

    /** Every fine-tuning run, newest first. */
    public List<TrainingRun> trainingRuns() {
        return read(LakelensTables.TRAINING_RUNS).map(DashboardData::collect).orElse(List.of()).stream()
                .map(DashboardData::trainingRun)
                .sorted(Comparator.comparing(TrainingRun::startedAt).reversed().thenComparing(TrainingRun::runId))
                .toList();
    }

    /** The page of an evaluation run, by its kind. */
    public Pages.RunPage runPage(EvalRun run) {
        return switch (run.kind()) {
            case MetricNames.ZEROSHOT -> zeroShot(run);
            case MetricNames.CAPTIONS -> captions(run);
            case MetricNames.RETRIEVAL -> new Pages.Retrieval(run);
            default -> new Pages.Metrics(run, run.trainingRunId() == null ? null : trainingRun(run.trainingRunId()));
        };
    }

    /** The fine-tuning run with this id, or null. */
    private TrainingRun trainingRun(String runId) {
        return ofRun(LakelensTables.TRAINING_RUNS, runId).map(DashboardData::collect).orElse(List.of()).stream()
                .map(DashboardData::trainingRun).findFirst().orElse(null);
    }

    Pages.ZeroShot zeroShot(EvalRun run) {
        Optional<Dataset<Row>> perClass = ofRun(LakelensTables.EVAL_PER_CLASS, run.runId());
        Optional<Dataset<Row>> confusion = ofRun(LakelensTables.EVAL_CONFUSION, run.runId());
        Optional<Dataset<Row>> predictions = ofRun(LakelensTables.EVAL_PREDICTIONS, run.runId());
        List<ClassResult> classes = perClass.map(DashboardData::collect).orElse(List.of()).stream()
                .map(r -> new ClassResult(r.getAs("label"), r.<Long>getAs("support"), r.getAs("precision"),
                        r.getAs("recall"), r.getAs("f1"), r.getAs("top5_recall")))
                .sorted(Comparator.comparing(ClassResult::label))
                .toList();
        List<ConfusionCell> cells = confusion.map(DashboardData::collect).orElse(List.of()).stream()
                .map(r -> new ConfusionCell(r.getAs("true_label"), r.getAs("predicted_label"), r.<Long>getAs("count")))
                .toList();
        List<ConfusedPair> pairs = ConfusedPairs.top(cells, PAIRS_SHOWN);
        if (predictions.isPresent() && !pairs.isEmpty()) {
            pairs = withExamples(pairs, predictions.get(), run.dataset());
        }
        return new Pages.ZeroShot(run, classes, Pages.ZeroShot.chartable(classes, CHARTED_CLASSES),
                ConfusionMatrix.of(cells, MATRIX_LABELS), pairs, Map.of(
                        LakelensTables.EVAL_PER_CLASS.name(), exists(perClass),
                        LakelensTables.EVAL_CONFUSION.name(), exists(confusion),
                        LakelensTables.EVAL_PREDICTIONS.name(), exists(predictions)));
    }

    /** The pairs with their most confident wrong predictions as examples. */
    private List<ConfusedPair> withExamples(List<ConfusedPair> pairs, Dataset<Row> predictions, String dataset) {
        Column anyPair = null;
        for (ConfusedPair p : pairs) {
            Column one = col("true_label").equalTo(p.trueLabel()).and(col("predicted_label").equalTo(p.predictedLabel()));
            anyPair = anyPair == null ? one : anyPair.or(one);
        }
        List<Row> rows = collect(predictions.filter(anyPair)
                .select(col("image_id"), col("true_label"), col("predicted_label"), element_at(col("top_probs"), 1).as("p")));
        Map<String, List<Row>> byPair = new HashMap<>();
        for (Row r : rows) {
            byPair.computeIfAbsent(pairKey(r.getAs("true_label"), r.getAs("predicted_label")), k -> new ArrayList<>()).add(r);
        }
        Comparator<Row> mostConfident = Comparator.comparing((Row r) -> r.isNullAt(3) ? 0.0 : r.getDouble(3)).reversed()
                .thenComparing(r -> r.<String>getAs("image_id"));
        Map<String, List<Row>> chosen = new LinkedHashMap<>();
        for (ConfusedPair p : pairs) {
            String key = pairKey(p.trueLabel(), p.predictedLabel());
            chosen.put(key, byPair.getOrDefault(key, List.of()).stream().sorted(mostConfident).limit(EXAMPLES_PER_PAIR).toList());
        }
        Map<String, ImageRef> images = images(dataset,
                chosen.values().stream().flatMap(List::stream).map(r -> r.<String>getAs("image_id")).toList());
        List<ConfusedPair> out = new ArrayList<>();
        for (ConfusedPair p : pairs) {
            List<Example> examples = chosen.get(pairKey(p.trueLabel(), p.predictedLabel())).stream()
                    .map(r -> new Example(images.get(r.<String>getAs("image_id")), r.isNullAt(3) ? null : r.getDouble(3)))
                    .toList();
            out.add(new ConfusedPair(p.trueLabel(), p.predictedLabel(), p.count(), examples));
        }
        return out;
    }

    Pages.Captions captions(EvalRun run) {
        Optional<Dataset<Row>> scores = ofRun(LakelensTables.CAPTION_SCORES, run.runId());
        if (scores.isEmpty()) {
            return new Pages.Captions(run, List.of(), 0, TableState.MISSING);
        }
        Dataset<Row> columns = scores.get().select("image_id", "candidate", "scores");
        // One query in the usual case; counting and picking the extremes only when there are too many.
        List<Row> rows = collect(columns.limit(galleryLimit + 1));
        long total = rows.size();
        if (total > galleryLimit) {
            total = columns.count();
            // The extremes are what an analyst looks at: the worst and the best captions.
            Column cider = expr("scores['" + MetricNames.CIDER + "']");
            rows = collect(columns.orderBy(cider.asc_nulls_last(), col("image_id")).limit(galleryLimit / 2)
                    .union(columns.orderBy(cider.desc_nulls_last(), col("image_id")).limit(galleryLimit - galleryLimit / 2)));
        }
        Map<String, Row> byImage = new LinkedHashMap<>();
        for (Row r : rows) {
            byImage.putIfAbsent(r.getAs("image_id"), r);
        }
        List<String> ids = List.copyOf(byImage.keySet());
        Map<String, ImageRef> images = images(run.dataset(), ids);
        Map<String, List<String>> references = references(run.dataset(), ids);
        Map<String, String> generated = generated(run, ids);
        List<CaptionItem> items = new ArrayList<>();
        for (Row r : byImage.values()) {
            String id = r.getAs("image_id");
            String candidate = r.getAs("candidate");
            String raw = generated.get(id);
            items.add(new CaptionItem(images.get(id), candidate, candidate.equals(raw) ? null : raw,
                    references.getOrDefault(id, List.of()),
                    MetricNames.ordered(MetricNames.CAPTIONS, doubles(r.getJavaMap(r.fieldIndex("scores"))))));
        }
        items.sort(Comparator.comparing((CaptionItem i) -> i.scores().get(MetricNames.CIDER),
                Comparator.nullsLast(Comparator.reverseOrder())).thenComparing(i -> i.image().imageId()));
        return new Pages.Captions(run, items, total, TableState.PRESENT);
    }

    private Map<String, List<String>> references(String dataset, List<String> ids) {
        Map<String, List<String>> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        read(LakelensTables.REFERENCE_CAPTIONS).ifPresent(df -> collect(df
                .filter(col("dataset").equalTo(dataset).and(col("image_id").isin(ids.toArray())))
                .select("image_id", "caption"))
                .forEach(r -> out.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r.getString(1))));
        out.values().forEach(list -> list.sort(null));
        return out;
    }

    /** The model's own output per image, for the run's decoding options when the run names them. */
    private Map<String, String> generated(EvalRun run, List<String> ids) {
        Map<String, String> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        read(LakelensTables.GENERATED_CAPTIONS).ifPresent(df -> {
            Column which = col("model_id").equalTo(run.modelId()).and(col("image_id").isin(ids.toArray()));
            String decoding = run.parameters().get("decoding");
            if (decoding != null) {
                which = which.and(col("decoding").equalTo(decoding));
            }
            // With several decodings and no choice in the run's parameters, the first caption by text.
            collect(df.filter(which).select("image_id", "caption"))
                    .forEach(r -> out.merge(r.getString(0), r.getString(1), (a, b) -> a.compareTo(b) <= 0 ? a : b));
        });
        return out;
    }

    /** A fine-tuning run's page: loss curve and the evaluations linked to it. */
    public Pages.Training training(TrainingRun run) {
        Optional<Dataset<Row>> steps = ofRun(LakelensTables.TRAINING_STEPS, run.runId());
        List<TrainingStep> all = steps.map(df -> collect(df.select("step", "epoch", "loss", "lr")))
                .orElse(List.of()).stream()
                .map(r -> new TrainingStep(r.getLong(0), r.getInt(1), r.getDouble(2), r.getDouble(3)))
                .sorted(Comparator.comparingLong(TrainingStep::step))
                .toList();
        List<EvalRun> linked = read(LakelensTables.EVAL_RUNS)
                .map(df -> collect(df.filter(col("parameters").getItem(EvalRun.TRAINING_RUN_PARAMETER).equalTo(run.runId()))))
                .orElse(List.of()).stream()
                .map(DashboardData::evalRun)
                .sorted(NEWEST_FIRST)
                .toList();
        return new Pages.Training(run, Pages.Training.thin(all, CURVE_POINTS), all.size(), linked,
                BeforeAfter.of(run, linked), exists(steps));
    }

    /** Stored bytes of the given images that have them, by image id. */
    public Map<String, byte[]> imageContent(Collection<String> imageIds) {
        Map<String, byte[]> out = new HashMap<>();
        if (imageIds.isEmpty()) {
            return out;
        }
        read(LakelensTables.IMAGES).ifPresent(df -> collect(df
                .filter(col("image_id").isin(new LinkedHashSet<>(imageIds).toArray()).and(col("content").isNotNull()))
                .select("image_id", "content"))
                .forEach(r -> out.putIfAbsent(r.getString(0), (byte[]) r.get(1))));
        return out;
    }

    /** Where each image can be seen from; ids not in {@code images} get {@link ImageRef#unknown}. */
    private Map<String, ImageRef> images(String dataset, List<String> ids) {
        Map<String, ImageRef> out = new HashMap<>();
        if (!ids.isEmpty()) {
            read(LakelensTables.IMAGES).ifPresent(df -> collect(df
                    .filter(col("dataset").equalTo(dataset).and(col("image_id").isin(ids.toArray())))
                    .select(col("image_id"), col("uri"), col("content").isNotNull()))
                    .forEach(r -> out.put(r.getString(0), new ImageRef(r.getString(0), r.getString(1), r.getBoolean(2)))));
        }
        ids.forEach(id -> out.putIfAbsent(id, ImageRef.unknown(id)));
        return out;
    }

    /** The table read fresh from its Delta log, or empty when it does not exist. */
    private Optional<Dataset<Row>> read(TableSpec spec) {
        if (!catalog.exists(spec)) {
            return Optional.empty();
        }
        return Optional.of(spark.read().format("delta").load(catalog.warehouse().tableLocation(spec.name())));
    }

    private Optional<Dataset<Row>> ofRun(TableSpec spec, String runId) {
        return read(spec).map(df -> df.filter(col("run_id").equalTo(runId)));
    }

    /**
     * For a run's rows in a table: PRESENT when the table exists (the page says when it holds nothing
     * for the run), MISSING when it does not.
     */
    private static TableState exists(Optional<Dataset<Row>> table) {
        return table.isPresent() ? TableState.PRESENT : TableState.MISSING;
    }

    /** For a whole table: MISSING when it does not exist, else PRESENT or EMPTY as the caller found rows. */
    private TableState state(TableSpec spec, boolean rowsFound) {
        if (rowsFound) {
            return TableState.PRESENT;
        }
        return catalog.exists(spec) ? TableState.EMPTY : TableState.MISSING;
    }

    private static List<Row> collect(Dataset<Row> df) {
        return df.collectAsList();
    }

    private static String pairKey(Object trueLabel, Object predictedLabel) {
        return trueLabel + "\u0000" + predictedLabel;
    }

    private static EvalRun evalRun(Row r) {
        String kind = r.getAs("kind");
        return new EvalRun(r.getAs("run_id"), kind, r.getAs("model_id"), r.getAs("dataset"),
                strings(r.getJavaMap(r.fieldIndex("parameters"))),
                MetricNames.ordered(kind, doubles(r.getJavaMap(r.fieldIndex("metrics")))),
                r.getAs("report_path"), instant(r.getAs("started_at")), instant(r.getAs("finished_at")));
    }

    private static TrainingRun trainingRun(Row r) {
        return new TrainingRun(r.getAs("run_id"), r.getAs("model_id"), r.getAs("dataset"), r.getAs("output_dir"),
                strings(r.getJavaMap(r.fieldIndex("parameters"))), r.getAs("status"), r.getAs("best_checkpoint"),
                instant(r.getAs("started_at")), instant(r.getAs("finished_at")));
    }

    private static JobRunSummary jobRun(Row r) {
        Map<String, Long> counts = new LinkedHashMap<>();
        r.<Object, Object>getJavaMap(r.fieldIndex("counts")).forEach((k, v) -> counts.put((String) k, (Long) v));
        return new JobRunSummary(r.getAs("run_id"), r.getAs("job"), r.getAs("dataset"), r.getAs("model_id"),
                strings(r.getJavaMap(r.fieldIndex("parameters"))), counts, r.getAs("status"), r.getAs("error"),
                instant(r.getAs("started_at")), instant(r.getAs("finished_at")), r.getAs("duration_s"), r.getAs("items_per_s"));
    }

    private static Map<String, String> strings(Map<Object, Object> map) {
        Map<String, String> out = new TreeMap<>();
        map.forEach((k, v) -> out.put((String) k, (String) v));
        return out;
    }

    private static Map<String, Double> doubles(Map<Object, Object> map) {
        Map<String, Double> out = new TreeMap<>();
        map.forEach((k, v) -> out.put((String) k, (Double) v));
        return out;
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        return value instanceof Instant i ? i : ((Timestamp) value).toInstant();
    }
}
