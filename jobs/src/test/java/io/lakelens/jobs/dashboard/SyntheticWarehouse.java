package io.lakelens.jobs.dashboard;

import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.tables.DeltaMerge;
import io.lakelens.jobs.tables.LakelensTables;
import io.lakelens.jobs.tables.TableSpec;
import io.lakelens.jobs.testing.SparkTestSession;
import io.lakelens.jobs.testing.TestImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A warehouse with runs of every kind, written through {@link DeltaMerge} as the jobs write them:
 * built once per test JVM (writing Delta tables costs seconds) and shared by the dashboard's Spark
 * and browser tests, which only read it.
 */
final class SyntheticWarehouse {

    static final String DATASET = "pets";
    static final List<String> LABELS = List.of("cat", "dog", "fox");
    /** A caption with markup in it: the pages must escape it. */
    static final String MARKUP_CAPTION = "a cat <b>sleeping</b> & \"dreaming\"";
    static final String FAILED_JOB_ERROR = "model <oops> failed";
    static final Instant T0 = Instant.parse("2025-02-03T09:00:00Z");

    private static Path full;

    private SyntheticWarehouse() {}

    /** The shared warehouse with every table. */
    static synchronized Path full() {
        if (full == null) {
            full = tempDir("lakelens-dashboard-wh");
            try (LakelensSession s = SparkTestSession.on(full)) {
                writeEverything(s);
            }
        }
        return full;
    }

    /** A new warehouse holding one zero-shot run in eval_runs and nothing else. */
    static Path onlyEvalRuns() {
        Path wh = tempDir("lakelens-dashboard-partial");
        try (LakelensSession s = SparkTestSession.on(wh)) {
            merge(s, LakelensTables.EVAL_RUNS, evalRun("zs-lonely", "zeroshot", "clip-b32", Map.of(),
                    metrics("top1_accuracy", 0.5), 0));
        }
        return wh;
    }

    /** 12 images, 4 per label; the last is stored by reference only (no bytes). */
    static List<String> imageIds() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(sha256(imageBytes(i)));
        }
        return ids;
    }

    static String labelOf(int image) {
        return LABELS.get(image / 4);
    }

    private static byte[] imageBytes(int i) {
        return TestImages.image("png", 320 + 16 * i, 240, 100 + i);
    }

    private static void writeEverything(LakelensSession s) {
        List<Runnable> merges = new ArrayList<>();
        collectMerges(s, merges);
        merges.forEach(Runnable::run);
    }

    private static void collectMerges(LakelensSession s, List<Runnable> merges) {
        List<String> ids = imageIds();
        Timestamp ingested = ts(0);
        List<Object[]> images = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            byte[] png = imageBytes(i);
            boolean stored = i < ids.size() - 1;
            images.add(new Object[] {ids.get(i), DATASET, "/data/pets/" + labelOf(i) + "-" + i + ".png", 320 + 16 * i, 240,
                    "png", "RGB", (long) png.length, labelOf(i), "test", stored ? png : null, ingested});
        }
        merges.add(() -> merge(s, LakelensTables.IMAGES, images.toArray(new Object[0][])));

        // Three zero-shot runs: two of one model (a line over time), one of another.
        merges.add(() -> merge(s, LakelensTables.EVAL_RUNS,
                evalRun("zs-early", "zeroshot", "clip-b32", Map.of("prompt", "a photo of a {}"),
                        metrics("top1_accuracy", 0.5, "top5_accuracy", 1.0, "balanced_accuracy", 0.5, "num_images", 12.0, "num_classes", 3.0), 0),
                evalRun("zs-main", "zeroshot", "clip-b32", Map.of("prompt", "a photo of a {}", "training_run_id", "train-1"),
                        metrics("top1_accuracy", 0.75, "top5_accuracy", 1.0, "balanced_accuracy", 0.75, "num_images", 12.0, "num_classes", 3.0), 1),
                evalRun("zs-large", "zeroshot", "clip-l14", Map.of(), metrics("top1_accuracy", 0.8333333333333334), 2),
                evalRun("zs-tuned", "zeroshot", "clip-b32-ft", Map.of("training_run_id", "train-1"),
                        metrics("top1_accuracy", 0.9166666666666666), 4),
                evalRun("cap-1", "captions", "blip-base", Map.of("decoding", "greedy"),
                        metrics("CIDEr", 0.9125, "CLIPScore", 0.7125, "RefCLIPScore", 0.75, "Bleu_1", 0.625, "Bleu_4", 0.25, "ROUGE_L", 0.5), 2),
                evalRun("ret-1", "retrieval", "clip-b32", Map.of("k", "1,5,10"),
                        metrics("image_to_text_R@1", 0.25, "image_to_text_R@5", 0.625, "image_to_text_R@10", 0.875,
                                "text_to_image_R@1", 0.1875, "text_to_image_R@5", 0.5, "text_to_image_R@10", 0.8125), 2),
                evalRun("ft-eval-1", "finetune", "clip-b32-ft", Map.of("training_run_id", "train-1"),
                        metrics("loss_start", 2.75, "loss_end", 0.875), 3)));

        // zs-main: 12 images; cat 3/4 right, dog 2/4 (2 → fox), fox 4/4 except the last (1 → cat).
        List<Object[]> predictions = new ArrayList<>();
        String[] predicted = {"cat", "cat", "cat", "dog", "dog", "dog", "fox", "fox", "fox", "fox", "fox", "cat"};
        for (int i = 0; i < 12; i++) {
            double p = 0.5 + i / 100.0;
            predictions.add(new Object[] {"zs-main", ids.get(i), labelOf(i), predicted[i],
                    new String[] {predicted[i], "cat"}, new double[] {p, 1 - p}});
        }
        merges.add(() -> merge(s, LakelensTables.EVAL_PREDICTIONS, predictions.toArray(new Object[0][])));
        Map<String, Long> confusion = new LinkedHashMap<>();
        for (int i = 0; i < 12; i++) {
            confusion.merge(labelOf(i) + "|" + predicted[i], 1L, Long::sum);
        }
        merges.add(() -> merge(s, LakelensTables.EVAL_CONFUSION, confusion.entrySet().stream()
                .map(e -> new Object[] {"zs-main", e.getKey().split("\\|")[0], e.getKey().split("\\|")[1], e.getValue()})
                .toArray(Object[][]::new)));
        merges.add(() -> merge(s, LakelensTables.EVAL_PER_CLASS,
                new Object[] {"zs-main", "cat", 4L, 0.75, 0.75, 0.75, 1.0},
                new Object[] {"zs-main", "dog", 4L, 1.0, 0.5, 0.6666666666666666, 1.0},
                new Object[] {"zs-main", "fox", 4L, 0.6, 0.75, 0.6666666666666666, 1.0}));

        // cap-1: six images with scores, references and the model's raw output.
        List<Object[]> scores = new ArrayList<>();
        List<Object[]> references = new ArrayList<>();
        List<Object[]> generated = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String candidate = i == 0 ? MARKUP_CAPTION : "a " + labelOf(i * 2) + " number " + i;
            Map<String, Double> sc = new LinkedHashMap<>();
            sc.put("CIDEr", 0.25 * i + 0.125);
            sc.put("CLIPScore", 0.9 - 0.0625 * i);
            sc.put("Bleu_4", 0.125);
            scores.add(new Object[] {"cap-1", ids.get(i * 2), candidate, sc});
            references.add(new Object[] {ids.get(i * 2), DATASET, "a reference for image " + i, "manifest.csv", ingested});
            references.add(new Object[] {ids.get(i * 2), DATASET, "another reference " + i, "manifest.csv", ingested});
            generated.add(new Object[] {ids.get(i * 2), "blip-base", "greedy", "a picture of " + candidate, 8, null, null, ingested});
        }
        merges.add(() -> merge(s, LakelensTables.CAPTION_SCORES, scores.toArray(new Object[0][])));
        merges.add(() -> merge(s, LakelensTables.REFERENCE_CAPTIONS, references.toArray(new Object[0][])));
        merges.add(() -> merge(s, LakelensTables.GENERATED_CAPTIONS, generated.toArray(new Object[0][])));

        merges.add(() -> merge(s, LakelensTables.TRAINING_RUNS, new Object[] {"train-1", "clip-b32", DATASET, "/ckpt/train-1",
                map("lr", "1e-5", "epochs", "2"), "succeeded", "/ckpt/train-1/best", ts(3), ts(4)}));
        List<Object[]> steps = new ArrayList<>();
        for (int step = 0; step < 40; step++) {
            steps.add(new Object[] {"train-1", (long) step, step / 20, 2.75 * Math.exp(-step / 15.0) + 0.5, 1e-5, 14.3, 120.0,
                    new Timestamp(ts(3).getTime() + step * 1000L)});
        }
        merges.add(() -> merge(s, LakelensTables.TRAINING_STEPS, steps.toArray(new Object[0][])));

        merges.add(() -> merge(s, LakelensTables.JOB_RUNS,
                new Object[] {"ingest-1", "ingest", DATASET, null, map("source", "/data/pets"), counts("input", 12L, "written", 12L),
                        "succeeded", null, ts(0), new Timestamp(ts(0).getTime() + 4200), 4.2, 2.857142857142857},
                new Object[] {"embed-1", "embed", DATASET, "clip-b32", map(), counts("input", 12L),
                        "failed", FAILED_JOB_ERROR, ts(1), new Timestamp(ts(1).getTime() + 1000), 1.0, null},
                new Object[] {"caption-1", "caption", DATASET, "blip-base", map("decoding", "greedy"), counts(),
                        "running", null, ts(2), null, null, null}));
    }

    /** An eval_runs row started {@code day} days after {@link #T0}, finished 90 s later. */
    static Object[] evalRun(String id, String kind, String model, Map<String, String> params, Map<String, Double> metrics, int day) {
        return new Object[] {id, kind, model, DATASET, new LinkedHashMap<>(params), metrics, null, ts(day),
                new Timestamp(ts(day).getTime() + 90_000)};
    }

    static Map<String, Double> metrics(Object... nameThenValue) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < nameThenValue.length; i += 2) {
            out.put((String) nameThenValue[i], (Double) nameThenValue[i + 1]);
        }
        return out;
    }

    private static Map<String, String> map(String... keyThenValue) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < keyThenValue.length; i += 2) {
            out.put(keyThenValue[i], keyThenValue[i + 1]);
        }
        return out;
    }

    private static Map<String, Long> counts(Object... nameThenCount) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < nameThenCount.length; i += 2) {
            out.put((String) nameThenCount[i], (Long) nameThenCount[i + 1]);
        }
        return out;
    }

    static Timestamp ts(int day) {
        return Timestamp.from(T0.plusSeconds(86_400L * day));
    }

    /** Writes rows as the jobs do; insert-only, the cheaper MERGE, since every key is new. */
    static void merge(LakelensSession s, TableSpec spec, Object[]... rows) {
        List<Row> list = Stream.of(rows).map(RowFactory::create).toList();
        DeltaMerge.insertNew(s.spark(), s.catalog(), spec, s.spark().createDataFrame(list, spec.schema()));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path tempDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at JVM exit
        }
    }
}
