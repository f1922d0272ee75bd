package io.lakelens.jobs.notebooks;

import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.tables.LakelensTables;
import io.lakelens.jobs.tables.TableSpec;
import io.lakelens.jobs.testing.SparkTestSession;
import io.lakelens.jobs.testing.TestImages;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A small warehouse with what the notebooks read, in the jobs' table layout (running the real jobs with the tiny models takes minutes on two cores): 12 images of
 * three classes, their CLIP embeddings (clustered by class, so nearest neighbours are meaningful),
 * the class prompts' text embeddings, one zero-shot run with per-class results and confusion
 * matrix, and captions of two models, one of them with two decoding options.
 */
final class NotebookWarehouse {

    static final String DATASET = "pets";
    static final String CLIP = "clip-tiny@main";
    static final List<String> LABELS = List.of("cat", "dog", "fox");
    static final int DIM = 16;
    static final String ZEROSHOT_RUN = "zs-pets-1";
    static final String GREEDY = "greedy,max_new_tokens=20";
    static final String BEAM = "beam,max_new_tokens=20,num_beams=3,length_penalty=1.0,early_stopping=false";

    private NotebookWarehouse() {}

    static String labelOf(int image) {
        return LABELS.get(image / 4);
    }

    static List<String> imageIds() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(sha256(TestImages.image("png", 64 + 8 * i, 48, 300 + i)));
        }
        return ids;
    }

    /** The embedding of image {@code i}: its class's direction plus a little noise, L2-normalised. */
    static float[] imageEmbedding(int i) {
        float[] v = classDirection(LABELS.indexOf(labelOf(i)));
        Random r = new Random(1000 + i);
        for (int d = 0; d < DIM; d++) {
            v[d] += (float) (0.12 * r.nextGaussian());
        }
        return normalize(v);
    }

    private static float[] classDirection(int c) {
        Random r = new Random(77 + c);
        float[] v = new float[DIM];
        for (int d = 0; d < DIM; d++) {
            v[d] = (float) r.nextGaussian();
        }
        return normalize(v);
    }

    static void write(Path warehouse) {
        try (LakelensSession s = SparkTestSession.on(warehouse)) {
            List<String> ids = imageIds();
            Timestamp t0 = Timestamp.from(Instant.parse("2025-03-01T10:00:00Z"));
            List<Object[]> images = new ArrayList<>();
            List<Object[]> embeddings = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                byte[] png = TestImages.image("png", 64 + 8 * i, 48, 300 + i);
                images.add(new Object[] {ids.get(i), DATASET, "/data/pets/" + labelOf(i) + "/" + i + ".png", 64 + 8 * i, 48,
                        "png", "RGB", (long) png.length, labelOf(i), "test", png, t0});
                embeddings.add(new Object[] {ids.get(i), CLIP, boxed(imageEmbedding(i)), DIM, t0});
            }
            merge(s, LakelensTables.IMAGES, images);
            merge(s, LakelensTables.IMAGE_EMBEDDINGS, embeddings);

            List<Object[]> texts = new ArrayList<>();
            for (int c = 0; c < LABELS.size(); c++) {
                String text = "a photo of a " + LABELS.get(c);
                texts.add(new Object[] {sha256(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), text, CLIP,
                        boxed(classDirection(c)), DIM, "labels.txt", t0});
            }
            merge(s, LakelensTables.TEXT_EMBEDDINGS, texts);

            // Zero-shot: cat 4/4, dog 3/4 (one → fox), fox 2/4 (two → dog).
            String[] predicted = {"cat", "cat", "cat", "cat", "dog", "dog", "dog", "fox", "fox", "fox", "dog", "dog"};
            Map<String, Long> confusion = new LinkedHashMap<>();
            List<Object[]> predictions = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                confusion.merge(labelOf(i) + "|" + predicted[i], 1L, Long::sum);
                String guess = predicted[i];
                String second = guess.equals(labelOf(i)) ? (labelOf(i).equals("cat") ? "dog" : "cat") : labelOf(i);
                String third = LABELS.stream().filter(l -> !l.equals(guess) && !l.equals(second)).findFirst().orElseThrow();
                predictions.add(new Object[] {ZEROSHOT_RUN, ids.get(i), labelOf(i), guess,
                        new String[] {guess, second, third}, new double[] {0.6, 0.3, 0.1}});
            }
            merge(s, LakelensTables.EVAL_RUNS, List.<Object[]>of(new Object[] {ZEROSHOT_RUN, "zeroshot", CLIP, DATASET,
                    map("labels", "labels.txt", "templates", "single", "top_k", "5"),
                    metrics("top1_accuracy", 0.75, "top5_accuracy", 1.0, "balanced_accuracy", 0.75, "macro_f1", 0.7444444444444445,
                            "num_images", 12.0, "num_classes", 3.0),
                    null, t0, new Timestamp(t0.getTime() + 42_000)}));
            merge(s, LakelensTables.EVAL_PREDICTIONS, predictions);
            merge(s, LakelensTables.EVAL_CONFUSION, confusion.entrySet().stream()
                    .map(e -> new Object[] {ZEROSHOT_RUN, e.getKey().split("\\|")[0], e.getKey().split("\\|")[1], e.getValue()})
                    .toList());
            merge(s, LakelensTables.EVAL_PER_CLASS, List.of(
                    new Object[] {ZEROSHOT_RUN, "cat", 4L, 1.0, 1.0, 1.0, 1.0},
                    new Object[] {ZEROSHOT_RUN, "dog", 4L, 0.6, 0.75, 0.6666666666666666, 1.0},
                    new Object[] {ZEROSHOT_RUN, "fox", 4L, 0.6666666666666666, 0.5, 0.5714285714285714, 1.0}));

            List<Object[]> references = new ArrayList<>();
            List<Object[]> captions = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                String animal = labelOf(i);
                references.add(new Object[] {ids.get(i), DATASET, "a " + animal + " sitting on the grass", "manifest.jsonl", t0});
                references.add(new Object[] {ids.get(i), DATASET, "a small " + animal + " in a garden", "manifest.jsonl", t0});
                captions.add(caption(ids.get(i), "blip-tiny@main", GREEDY, "a " + animal + " sitting on the grass", null, t0));
                captions.add(caption(ids.get(i), "blip-tiny@main", BEAM,
                        i % 3 == 0 ? "a small " + animal + " in a garden" : "a picture of a " + animal, -0.5 - i / 10.0, t0));
                captions.add(caption(ids.get(i), "blip-large@main", GREEDY,
                        i % 2 == 0 ? "a " + animal + " on the grass" : "an animal in a garden", null, t0));
            }
            merge(s, LakelensTables.REFERENCE_CAPTIONS, references);
            merge(s, LakelensTables.GENERATED_CAPTIONS, captions);
        }
    }

    private static Object[] caption(String id, String model, String decoding, String text, Double score, Timestamp t) {
        return new Object[] {id, model, decoding, text, text.split(" ").length + 1, null, score, t};
    }

    /** The table as the jobs create it, then one plain Delta append (a MERGE per table costs seconds more). */
    private static void merge(LakelensSession s, TableSpec spec, List<Object[]> rows) {
        List<Row> list = rows.stream().map(RowFactory::create).toList();
        s.catalog().ensure(spec);
        s.spark().createDataFrame(list, spec.schema()).coalesce(1).write().format("delta").mode("append")
                .save(s.catalog().warehouse().tableLocation(spec.name()));
    }

    private static Float[] boxed(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    private static float[] normalize(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / Math.sqrt(n));
        }
        return out;
    }

    private static Map<String, String> map(String... kv) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put(kv[i], kv[i + 1]);
        }
        return out;
    }

    private static Map<String, Double> metrics(Object... kv) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put((String) kv[i], (Double) kv[i + 1]);
        }
        return out;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<String> tables() {
        return Stream.of("images", "image_embeddings", "text_embeddings", "eval_runs", "eval_per_class", "eval_confusion",
                "eval_predictions", "reference_captions", "generated_captions");
    }
}
