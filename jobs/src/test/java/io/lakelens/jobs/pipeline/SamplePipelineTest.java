package io.lakelens.jobs.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.jobs.caption.CaptionJob;
import io.lakelens.jobs.embed.EmbedJob;
import io.lakelens.jobs.inference.ChunkedImageJob;
import io.lakelens.jobs.ingest.IngestJob;
import io.lakelens.jobs.ingest.IngestOptions;
import io.lakelens.jobs.ingest.IngestResult;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.testing.SparkTestSession;
import io.lakelens.jobs.testing.TinyModels;
import io.lakelens.jobs.zeroshot.ZeroShotJob;
import io.lakelens.models.clip.ClipEmbedder;
import io.lakelens.models.clip.ClipModel;
import io.lakelens.models.generation.GenerationConfig;
import io.lakelens.models.runtime.ComputeDevice;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main path on the bundled samples with the tiny fixture models: ingest → embed → caption →
 * zeroshot. Counts add up, the zero-shot metrics equal an independent computation from the stored
 * embeddings, and a rerun writes nothing.
 */
class SamplePipelineTest {

    @TempDir
    Path tmp;

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @Test
    void ingestEmbedCaptionZeroShotOnTheSamples() throws Exception {
        Path labelsFile = TinyModels.samplesManifest().resolveSibling("labels.txt");
        List<String> labels = Files.readAllLines(labelsFile).stream().filter(l -> !l.isBlank()).toList();
        try (LakelensSession s = SparkTestSession.on(tmp.resolve("wh"))) {
            IngestOptions ingest = IngestOptions.builder(TinyModels.samplesManifest().toString(), "samples").captions("captions").build();
            IngestResult in = new IngestJob(s).run(ingest);
            assertEquals(80, in.read());
            assertEquals(80, in.ingested() + in.duplicates());
            assertEquals(0, in.quarantined());
            assertEquals(158, in.captionsWritten());

            EmbedJob.Options embed = new EmbedJob.Options("samples", TinyModels.clip().toString(), "cpu", 16, 40, false);
            ChunkedImageJob.Result e = new EmbedJob(s).run(embed, QUIET);
            assertEquals(in.ingested(), e.written());
            assertEquals(e.input(), e.written() + e.alreadyDone() + e.quarantined());

            CaptionJob.Options caption = new CaptionJob.Options("samples", TinyModels.blip().toString(), "cpu",
                    GenerationConfig.defaults().toBuilder().maxNewTokens(8).build(), 8, 40, false);
            ChunkedImageJob.Result c = new CaptionJob(s).run(caption, QUIET);
            assertEquals(in.ingested(), c.written());
            assertEquals("greedy,max_new_tokens=8", s.spark().sql(
                    "SELECT DISTINCT decoding FROM lakelens.generated_captions").first().getString(0));

            ZeroShotJob.Result z = new ZeroShotJob(s).run(new ZeroShotJob.Options("samples", TinyModels.clip().toString(),
                    labelsFile.toString(), "single", 5, embed, null), QUIET);
            checkAgainstIndependentComputation(s, z, labels);

            // Everything again: nothing new is written.
            assertEquals(0, new IngestJob(s).run(ingest).ingested());
            assertEquals(0, new EmbedJob(s).run(embed, QUIET).written());
            assertEquals(0, new CaptionJob(s).run(caption, QUIET).written());
            assertEquals(in.ingested(), s.spark().sql("SELECT * FROM lakelens.image_embeddings").count());
            assertEquals(in.ingested(), s.spark().sql("SELECT * FROM lakelens.generated_captions").count());
            assertTrue(Files.exists(Path.of(java.net.URI.create(z.reportFolder().replace("file:", "file://")))
                    .resolve("report.md")));
        }
    }

    /** Top-1/top-5, per-class recall and confusion counts recomputed here from the stored embeddings. */
    private static void checkAgainstIndependentComputation(LakelensSession s, ZeroShotJob.Result z, List<String> labels) {
        float[][] classes;
        try (ClipEmbedder clip = ClipEmbedder.load(TinyModels.clip(), ComputeDevice.cpu())) {
            List<String> prompts = labels.stream().map(l -> "a photo of a " + l.replace('-', ' ') + ".").toList();
            classes = clip.embedTexts(prompts);
        }
        List<Row> rows = s.spark().sql("SELECT i.label, e.embedding FROM lakelens.images i JOIN lakelens.image_embeddings e"
                + " USING (image_id) WHERE i.dataset = 'samples'").collectAsList();
        long top1 = 0;
        long top5 = 0;
        Map<String, Long> confusion = new HashMap<>();
        Map<String, long[]> perClass = new HashMap<>();
        for (Row r : rows) {
            List<Float> emb = r.getList(1);
            double[] scores = new double[classes.length];
            for (int c = 0; c < classes.length; c++) {
                for (int d = 0; d < emb.size(); d++) {
                    scores[c] += classes[c][d] * emb.get(d);
                }
            }
            List<Integer> ranked = new ArrayList<>(IntStream.range(0, classes.length).boxed().toList());
            ranked.sort(Comparator.comparingDouble((Integer c) -> -scores[c]));
            int truth = labels.indexOf(r.getString(0));
            boolean hit1 = ranked.get(0) == truth;
            top1 += hit1 ? 1 : 0;
            top5 += ranked.subList(0, 5).contains(truth) ? 1 : 0;
            confusion.merge(r.getString(0) + "->" + labels.get(ranked.get(0)), 1L, Long::sum);
            long[] pc = perClass.computeIfAbsent(r.getString(0), k -> new long[2]);
            pc[0] += hit1 ? 1 : 0;
            pc[1]++;
        }
        assertEquals(80, z.report().numImages());
        assertEquals(top1 / 80.0, z.report().top1Accuracy(), 1e-12);
        assertEquals(top5 / 80.0, z.report().top5Accuracy(), 1e-12);
        Map<String, Long> storedConfusion = new HashMap<>();
        s.spark().sql("SELECT true_label, predicted_label, count FROM lakelens.eval_confusion WHERE run_id = '"
                + z.runId() + "'").collectAsList().forEach(r -> storedConfusion.put(r.getString(0) + "->" + r.getString(1), r.getLong(2)));
        assertEquals(confusion, storedConfusion);
        s.spark().sql("SELECT label, recall, support FROM lakelens.eval_per_class WHERE run_id = '" + z.runId() + "'")
                .collectAsList().forEach(r -> {
                    long[] pc = perClass.get(r.getString(0));
                    assertEquals(pc[1], r.getLong(2));
                    assertEquals(pc[0] / (double) pc[1], r.getDouble(1), 1e-12, r.getString(0));
                });
        Row run = s.spark().sql("SELECT metrics['top1_accuracy'], kind FROM lakelens.eval_runs WHERE run_id = '"
                + z.runId() + "'").first();
        assertEquals(top1 / 80.0, run.getDouble(0), 1e-12);
        assertEquals(80, s.spark().sql("SELECT * FROM lakelens.eval_predictions WHERE run_id = '" + z.runId() + "'").count());
    }
}
