package io.lakelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.eval.captions.CaptionEvaluation;
import io.lakelens.eval.captions.CaptionEvaluator;
import io.lakelens.eval.captions.PtbTokenizer;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.tables.DeltaMerge;
import io.lakelens.jobs.tables.LakelensTables;
import io.lakelens.jobs.tables.TableSpec;
import io.lakelens.jobs.testing.SparkTestSession;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lakelens caption-eval} run in-process on a three-image warehouse: output, exit codes, errors. */
class CaptionEvalCommandTest {

    private static final Timestamp NOW = new Timestamp(System.currentTimeMillis());

    @TempDir
    Path tmp;

    @Test
    void printsTheCorpusScoresAndFailsWithOneLineOnBadInput() {
        String wh = tmp.resolve("wh").toString();
        List<String> order = List.of("a", "b", "c");
        Map<String, String> candidates = new LinkedHashMap<>();
        candidates.put("a", "a dog runs on the grass");
        candidates.put("b", "a cat sleeps on a sofa");
        candidates.put("c", "two people ride bikes");
        Map<String, List<String>> references = new LinkedHashMap<>();
        references.put("a", List.of("A brown dog runs across the grass.", "a dog running"));
        references.put("b", List.of("A cat is sleeping on the couch."));
        references.put("c", List.of("People riding bicycles down a street.", "two cyclists on a road"));
        try (LakelensSession session = SparkTestSession.on(tmp.resolve("wh"))) {
            List<Row> images = new ArrayList<>();
            List<Row> refs = new ArrayList<>();
            List<Row> generated = new ArrayList<>();
            for (String id : order) {
                images.add(RowFactory.create(id, "d", "file:/" + id, 1, 1, "png", "RGB", 1L, null, null, null, NOW));
                references.get(id).forEach(r -> refs.add(RowFactory.create(id, "d", r, "test", NOW)));
                generated.add(RowFactory.create(id, "blip-test", "greedy", candidates.get(id), 5, null, null, NOW));
            }
            insert(session, LakelensTables.IMAGES, images);
            insert(session, LakelensTables.REFERENCE_CAPTIONS, refs);
            insert(session, LakelensTables.GENERATED_CAPTIONS, generated);
        }

        CliTest.Run ok = CliTest.run("--warehouse", wh, "caption-eval", "--dataset", "d", "--captions-model", "blip-test");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().startsWith("caption-eval: blip-test (greedy) on 3 images"), ok.out());
        Map<String, List<String>> sorted = new LinkedHashMap<>();
        references.forEach((id, list) -> sorted.put(id, list.stream().sorted().toList()));
        CaptionEvaluation<String> expected = new CaptionEvaluator(new PtbTokenizer(PtbTokenizer.LineBreaks.AS_SPACE),
                CaptionEvaluator.cocoMetrics()).evaluate(order, sorted, candidates);
        for (String metric : List.of("Bleu_1", "Bleu_4", "ROUGE_L", "CIDEr")) {
            String line = ok.out().lines().filter(l -> l.startsWith("  " + metric + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError(metric + " not printed:\n" + ok.out()));
            double printed = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            assertEquals(expected.corpus().get(metric), printed, 1e-12, metric);
        }
        assertTrue(ok.out().contains("  num_images 3.0"), ok.out());

        CliTest.Run bad = CliTest.run("--warehouse", wh, "caption-eval", "--dataset", "d", "--captions-model",
                "blip-test", "--decoding", "beam");
        assertEquals(1, bad.code(), bad.out() + bad.err());
        String firstLine = bad.err().lines().findFirst().orElse("");
        assertEquals("lakelens caption-eval: error: model blip-test has no captions with decoding 'beam'; it has greedy",
                firstLine, bad.err());
        assertFalse(bad.err().contains("\tat "), "no stack trace without --verbose");
        assertFalse(bad.out().contains("caption-eval:"), bad.out());
    }

    private static void insert(LakelensSession session, TableSpec spec, List<Row> rows) {
        SparkSession spark = session.spark();
        DeltaMerge.insertNew(spark, session.catalog(), spec, spark.createDataFrame(rows, spec.schema()));
    }
}
