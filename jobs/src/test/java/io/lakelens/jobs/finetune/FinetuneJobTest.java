package io.lakelens.jobs.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.jobs.embed.EmbedJob;
import io.lakelens.jobs.inference.ModelRef;
import io.lakelens.jobs.ingest.IngestJob;
import io.lakelens.jobs.ingest.IngestOptions;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.testing.SparkTestSession;
import io.lakelens.jobs.testing.TinyModels;
import io.lakelens.jobs.zeroshot.ZeroShotJob;
import io.lakelens.models.checkpoint.StateDict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One Spark session for everything (Spark is the slow part): the samples fine-tuned end to end,
 * with one image's stored bytes damaged after ingest; the output folder through embed and
 * zeroshot; a LiT run with the image tower locked; bad input.
 */
class FinetuneJobTest {

    @TempDir
    Path tmp;

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    private FinetuneJob.Options options(String dataset, Path out, boolean resume) {
        return FinetuneJob.Options.builder(dataset, TinyModels.clip().toString(), out).epochs(1).batchSize(8)
                .microBatchSize(4).lr(1e-3).warmupSteps(1).weightDecay(0.1).locking(false, false, 0)
                .validation(0.2, 7).device("cpu").resume(resume).wiseFtAlpha(0.5)
                .zeroshot(TinyModels.samplesManifest().resolveSibling("labels.txt"), null).checkpointEvery(5).build();
    }

    /** Image tower locked (LiT); no validation split, labels or WiSE-FT, to keep it short. */
    private static FinetuneJob.Options lockedImage(Path out) {
        return FinetuneJob.Options.builder("samples", TinyModels.clip().toString(), out).epochs(1).batchSize(8)
                .microBatchSize(0).lr(1e-3).warmupSteps(1).weightDecay(0.1).locking(true, false, 0).validation(0, 7)
                .device("cpu").resume(false).checkpointEvery(1000).build();
    }

    @Test
    void finetunesTheSamplesRecordsTablesAndTheModelEmbedsAndClassifies() throws Exception {
        try (LakelensSession s = SparkTestSession.on(tmp.resolve("wh"))) {
            new IngestJob(s).run(IngestOptions.builder(TinyModels.samplesManifest().toString(), "samples").captions("captions").build());
            // Bytes that passed ingest but no longer decode (as a file read by reference can change
            // after ingest): data preparation must skip, count and quarantine the image, not fail.
            String damaged = s.spark().sql("SELECT min(image_id) FROM lakelens.images").first().getString(0);
            s.spark().sql("UPDATE lakelens.images SET content = substring(content, 1, 64) WHERE image_id = '"
                    + damaged + "'");

            Path out = tmp.resolve("ft");
            FinetuneJob.Result r = new FinetuneJob(s).run(options("samples", out, false), QUIET);
            assertTrue(r.steps() > 0, r.toString());
            assertTrue(r.trainPairs() > 100 && r.valPairs() > 0, r.toString());
            assertEquals(1, r.skippedImages(), r.toString());
            assertEquals(0, r.imagesWithoutCaption(), r.toString());
            assertEquals(r.steps(), s.spark().sql("SELECT count(*) FROM lakelens.training_steps").first().getLong(0));
            assertEquals("succeeded", s.spark().sql("SELECT status FROM lakelens.training_runs").first().getString(0));
            assertEquals(2, s.spark().sql("SELECT * FROM lakelens.eval_runs WHERE parameters['stage'] IN ('before', 'after')").count());
            assertTrue(r.after().containsKey("zeroshot_top1_accuracy"), r.toString());
            System.out.println("finetune on samples: " + r);

            // The skipped image is in quarantine under the run, and the run's counts say so.
            List<Row> q = s.spark().sql("SELECT image_id, run_id, stage, dataset FROM lakelens.quarantine"
                    + " WHERE job = 'finetune'").collectAsList();
            assertEquals(1, q.size(), q.toString());
            assertEquals(damaged, q.get(0).getString(0));
            assertEquals(r.runId(), q.get(0).getString(1));
            assertEquals("decode", q.get(0).getString(2));
            Row run = s.spark().sql("SELECT status, counts FROM lakelens.job_runs WHERE run_id = '" + r.runId() + "'")
                    .first();
            assertEquals("succeeded", run.getString(0));
            assertEquals(1L, run.<String, Long>getJavaMap(1).get("skipped_images"), run.toString());
            assertEquals(r.trainPairs(), run.<String, Long>getJavaMap(1).get("train_pairs"), run.toString());

            // The fine-tuned folder is a model like any other: embed, then zero-shot classification.
            EmbedJob.Options embed = new EmbedJob.Options("samples", out.toString(), "cpu", 16, 80, false);
            var e = new EmbedJob(s).run(embed, QUIET);
            assertEquals(e.input(), e.written() + e.quarantined(), e.summary("embed"));
            assertEquals(1, e.quarantined(), e.summary("embed"));
            ZeroShotJob.Result z = new ZeroShotJob(s).run(new ZeroShotJob.Options("samples", out.toString(),
                    TinyModels.samplesManifest().resolveSibling("labels.txt").toString(), "single", 5, embed, null), QUIET);
            assertEquals(e.written(), z.report().numImages());
            assertEquals(1, z.excluded());
            String fineTunedId = ModelRef.resolve(s.spark(), out.toString()).modelId();
            assertEquals(1, s.spark().sql("SELECT * FROM lakelens.eval_runs WHERE kind = 'zeroshot' AND model_id = '"
                    + fineTunedId.replace("'", "''") + "'").count());
            System.out.println("zeroshot with the fine-tuned model: top-1 " + z.report().top1Accuracy() + " on "
                    + z.report().numImages() + " images");

            // --lock-image: the vision tower leaves bit for bit as it came; the text tower trained.
            Path lit = tmp.resolve("ft-lit");
            FinetuneJob.Result locked = new FinetuneJob(s).run(lockedImage(lit), QUIET);
            assertTrue(locked.steps() > 0, locked.toString());
            assertVisionTowerUnchangedTextTowerTrained(TinyModels.clip().resolve("model.safetensors"),
                    lit.resolve("model.safetensors"));

            // Bad input, refused before any training.
            assertThrows(IllegalArgumentException.class, () -> new FinetuneJob(s).run(options("samples", out, false), QUIET));
            assertThrows(IllegalArgumentException.class, () -> new FinetuneJob(s).run(options("nothing", tmp.resolve("x"), false), QUIET));
            assertThrows(IllegalArgumentException.class, () -> FinetuneJob.Options.builder("samples", "m", tmp).epochs(1)
                    .batchSize(8).microBatchSize(0).lr(0).warmupSteps(0).weightDecay(0).locking(false, false, 0)
                    .validation(0.1, 0).device("cpu").resume(false).checkpointEvery(0).build());
            // Images without captions: a dataset ingested from a folder (no manifest, so no captions).
            Path folder = Files.createDirectories(tmp.resolve("nocaps"));
            Path samples = TinyModels.samplesManifest().getParent();
            Files.copy(samples.resolve("cat/cat-01.png"), folder.resolve("cat-01.png"));
            Files.copy(samples.resolve("dog/dog-01.png"), folder.resolve("dog-01.png"));
            new IngestJob(s).run(IngestOptions.builder(folder.toString(), "nocaps").labels(IngestOptions.LabelSource.NONE, null).build());
            Path noCapsOut = tmp.resolve("nocaps-ft");
            IllegalArgumentException noCaptions = assertThrows(IllegalArgumentException.class,
                    () -> new FinetuneJob(s).run(options("nocaps", noCapsOut, false), QUIET));
            assertTrue(noCaptions.getMessage().contains("none of the 2 images") && noCaptions.getMessage()
                    .contains("reference caption"), noCaptions.getMessage());
            assertFalse(Files.exists(noCapsOut), "nothing written");
            assertEquals(0, s.spark().sql("SELECT * FROM lakelens.training_runs WHERE dataset = 'nocaps'").count());
        }
    }

    private static void assertVisionTowerUnchangedTextTowerTrained(Path start, Path trained) {
        StateDict a = StateDict.ofFile(start);
        StateDict b = StateDict.ofFile(trained);
        List<String> visionChanged = new ArrayList<>();
        List<String> textChanged = new ArrayList<>();
        int vision = 0;
        for (String name : a.names()) {
            float[] x = a.floats(name);
            float[] y = b.floats(name); // throws if the output lacks the tensor
            boolean same = x.length == y.length;
            for (int i = 0; same && i < x.length; i++) {
                same = Float.floatToRawIntBits(x[i]) == Float.floatToRawIntBits(y[i]);
            }
            if (name.startsWith("vision_model.") || name.startsWith("visual_projection.")) {
                vision++;
                if (!same) {
                    visionChanged.add(name);
                }
            } else if ((name.startsWith("text_model.") || name.startsWith("text_projection.")) && !same) {
                textChanged.add(name);
            }
        }
        assertTrue(vision > 10, "vision tensors found: " + vision);
        assertTrue(visionChanged.isEmpty(), "locked vision tower changed: " + visionChanged);
        assertTrue(textChanged.size() > 10, "text tower should have trained: " + textChanged);
        assertTrue(textChanged.contains("text_projection.weight"), textChanged.toString());
    }
}
