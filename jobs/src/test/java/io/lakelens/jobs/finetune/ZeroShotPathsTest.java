package io.lakelens.jobs.finetune;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakelens.cli.LakelensCli;
import io.lakelens.jobs.embed.EmbedJob;
import io.lakelens.jobs.inference.ModelRef;
import io.lakelens.jobs.ingest.IngestJob;
import io.lakelens.jobs.ingest.IngestOptions;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.tables.LakelensTables;
import io.lakelens.jobs.testing.SparkTestSession;
import io.lakelens.jobs.testing.TinyModels;
import io.lakelens.jobs.zeroshot.ClassList;
import io.lakelens.jobs.zeroshot.PromptTemplates;
import io.lakelens.jobs.zeroshot.ZeroShotJob;
import io.lakelens.models.clip.ClipEmbedder;
import io.lakelens.models.clip.ZeroShotClassifier;
import io.lakelens.models.runtime.ComputeDevice;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The three zero-shot paths on the bundled samples: {@code lakelens zeroshot} (stored embeddings,
 * the scorer broadcast to executors), {@code lakelens model zeroshot} (files) and fine-tuning's
 * validation (pairs prepared by the executor kit). Same images, same top-5 labels in the same order,
 * same probabilities.
 */
class ZeroShotPathsTest {

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Each path embeds in batches of its own size, and batching moves float sums in the last bits. */
    private static final double PROBABILITY_TOLERANCE = 1e-6;

    @TempDir
    Path tmp;

    @Test
    void theJobTheModelCommandAndFineTuningValidationAgree() throws Exception {
        Path labels = TinyModels.samplesManifest().resolveSibling("labels.txt");
        String clip = TinyModels.clip().toString();
        try (LakelensSession s = SparkTestSession.on(tmp.resolve("wh"))) {
            new IngestJob(s).run(IngestOptions.builder(TinyModels.samplesManifest().toString(), "samples")
                    .captions("captions").fullDecode(false).build());
            EmbedJob.Options embed = new EmbedJob.Options("samples", clip, "cpu", 16, 1024, false);
            ZeroShotJob.Result z = new ZeroShotJob(s).run(
                    new ZeroShotJob.Options("samples", clip, labels.toString(), "single", 5, embed, null), QUIET);

            // 1. The job: eval_predictions by image id.
            Map<String, List<ZeroShotClassifier.Prediction>> job = new HashMap<>();
            for (Row r : s.spark().sql("SELECT image_id, top_labels, top_probs FROM lakelens.eval_predictions"
                    + " WHERE run_id = '" + z.runId() + "'").collectAsList()) {
                List<String> l = r.getList(1);
                List<Double> p = r.getList(2);
                List<ZeroShotClassifier.Prediction> top = new ArrayList<>();
                for (int i = 0; i < l.size(); i++) {
                    top.add(new ZeroShotClassifier.Prediction(l.get(i), p.get(i)));
                }
                job.put(r.getString(0), top);
            }
            assertEquals(80, job.size());

            // 2. `lakelens model zeroshot` on the same files.
            List<Row> images = s.spark().sql("SELECT image_id, uri FROM lakelens.images").collectAsList();
            Map<String, String> idOfFile = new HashMap<>();
            List<String> args = new ArrayList<>(List.of("model", "zeroshot", "--model", clip, "--device", "cpu",
                    "--labels", labels.toString(), "--templates", "single", "--top-k", "5"));
            for (Row r : images) {
                String file = Path.of(URI.create(r.getString(1))).toString();
                idOfFile.put(file, r.getString(0));
                args.add(file);
            }
            Map<String, List<ZeroShotClassifier.Prediction>> command = new HashMap<>();
            for (String line : runCli(args).split("\n")) {
                JsonNode n = JSON.readTree(line);
                List<ZeroShotClassifier.Prediction> top = new ArrayList<>();
                n.get("top").forEach(p -> top.add(
                        new ZeroShotClassifier.Prediction(p.get("label").asText(), p.get("probability").asDouble())));
                command.put(idOfFile.get(n.get("file").asText()), top);
            }
            assertEquals(80, command.size());

            // 3. Fine-tuning's validation: all pairs prepared as the job prepares them, then its scorer.
            ModelRef model = ModelRef.resolve(s.spark(), clip);
            Dataset<Row> pairs = s.spark().table(LakelensTables.IMAGES.qualifiedName())
                    .select("image_id", "uri", "content", "label")
                    .join(s.spark().table(LakelensTables.REFERENCE_CAPTIONS.qualifiedName()).select("image_id", "caption"),
                            "image_id");
            Dataset<Row> prepared = FinetuneJob.prepare(s, model, pairs);
            Map<String, List<ZeroShotClassifier.Prediction>> validation = new HashMap<>();
            try (ClipEmbedder embedder = ClipEmbedder.load(TinyModels.clip(), ComputeDevice.cpu())) {
                ValidationSet set = ValidationSet.of(FinetuneJob.validationRows(prepared.where(col("reason_code").isNull())));
                ValidationSet.ZeroShot zeroShot =
                        new ValidationSet.ZeroShot(ClassList.parse(labels.toString()), PromptTemplates.parse("single"));
                List<List<ZeroShotClassifier.Prediction>> top =
                        set.predictions(embedder, ValidationSet.classifier(embedder, zeroShot), 5);
                for (int i = 0; i < top.size(); i++) {
                    validation.put(set.imageIds().get(i), top.get(i));
                }
            } finally {
                prepared.unpersist();
            }
            long captioned = s.spark().sql("SELECT DISTINCT image_id FROM lakelens.reference_captions").count();
            assertTrue(captioned > 70, "captioned images: " + captioned);
            assertEquals(captioned, validation.size(), "fine-tuning validates the images with a caption");

            for (String id : job.keySet()) {
                assertSame(job.get(id), command.get(id), "job vs model zeroshot, image " + id);
            }
            for (String id : validation.keySet()) {
                assertSame(job.get(id), validation.get(id), "job vs fine-tuning validation, image " + id);
            }
        }
    }

    private static void assertSame(List<ZeroShotClassifier.Prediction> expected,
            List<ZeroShotClassifier.Prediction> actual, String what) {
        assertEquals(5, expected.size(), what);
        assertEquals(expected.stream().map(ZeroShotClassifier.Prediction::label).toList(),
                actual.stream().map(ZeroShotClassifier.Prediction::label).toList(), what + ": labels and their order");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).probability(), actual.get(i).probability(), PROBABILITY_TOLERANCE,
                    what + ": probability " + i);
        }
        assertTrue(expected.get(0).probability() > 0, what);
    }

    private static String runCli(List<String> args) {
        CommandLine cl = LakelensCli.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        assertEquals(0, cl.execute(args.toArray(String[]::new)), err.toString());
        return out.toString().strip();
    }
}
