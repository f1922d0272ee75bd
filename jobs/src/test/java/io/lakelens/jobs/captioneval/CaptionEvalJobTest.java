package io.lakelens.jobs.captioneval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakelens.eval.captions.CaptionEvaluation;
import io.lakelens.eval.captions.CaptionEvaluator;
import io.lakelens.eval.captions.PtbTokenizer;
import io.lakelens.eval.clipscore.ClipScore;
import io.lakelens.eval.clipscore.ClipScores;
import io.lakelens.jobs.LakelensException;
import io.lakelens.jobs.inference.ModelRef;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.tables.DeltaMerge;
import io.lakelens.jobs.tables.LakelensTables;
import io.lakelens.jobs.tables.TableSpec;
import io.lakelens.jobs.testing.SparkTestSession;
import io.lakelens.jobs.testing.TinyModels;
import io.lakelens.models.clip.ClipEmbedder;
import io.lakelens.models.clip.ClipModel;
import io.lakelens.models.runtime.ComputeDevice;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distributed caption evaluation against the library, on 12 COCO images of a golden case; CLIPScore
 * with the tiny CLIP on the first {@value #CLIP_IMAGES} of them (the others have no image embedding).
 */
class CaptionEvalJobTest {

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());
    private static final Timestamp NOW = new Timestamp(System.currentTimeMillis());
    private static final int IMAGES = 12;
    private static final int CLIP_IMAGES = 4;

    @TempDir
    static Path tmp;

    static LakelensSession session;
    static List<String> order = new ArrayList<>();
    static Map<String, List<String>> references = new LinkedHashMap<>();
    static Map<String, String> candidates = new LinkedHashMap<>();
    /** The image embeddings stored for the first CLIP_IMAGES images. */
    static Map<String, float[]> imageEmbeddings = new LinkedHashMap<>();

    @BeforeAll
    static void warehouse() throws Exception {
        session = SparkTestSession.on(tmp.resolve("wh"));
        JsonNode golden = new ObjectMapper().readTree(Path.of(System.getProperty("lakelens.repoRoot"), "eval", "src",
                "test", "resources", "golden", "captions", "cases", "coco_human_loo_third_25.json").toFile());
        JsonNode inputs = golden.get("inputs");
        for (int i = 0; i < IMAGES; i++) {
            String coco = inputs.get("image_order").get(i).asText();
            String id = "img" + coco;
            order.add(id);
            List<String> refs = new ArrayList<>();
            inputs.get("references").get(coco).forEach(r -> refs.add(r.textValue()));
            refs.sort(null); // the job scores references in the order of their text
            references.put(id, refs);
            candidates.put(id, inputs.get("candidates").get(coco).textValue());
        }
        List<Row> images = new ArrayList<>();
        List<Row> refRows = new ArrayList<>();
        List<Row> captionRows = new ArrayList<>();
        for (String id : order) {
            images.add(image(id, "coco"));
            references.get(id).forEach(r -> refRows.add(RowFactory.create(id, "coco", r, "test", NOW)));
            captionRows.add(caption(id, "blip-test", "greedy", candidates.get(id)));
        }
        images.add(image("no-refs", "coco"));
        captionRows.add(caption("no-refs", "blip-test", "greedy", "a caption without references"));
        images.add(image("no-caption", "coco"));
        refRows.add(RowFactory.create("no-caption", "coco", "a reference without a candidate", "test", NOW));
        captionRows.add(caption(order.get(0), "blip-test", "beam", "another decoding of the same model"));
        insert(LakelensTables.IMAGES, images);
        insert(LakelensTables.REFERENCE_CAPTIONS, refRows);
        insert(LakelensTables.GENERATED_CAPTIONS, captionRows);

        // Image embeddings near the candidate's text embedding (plus noise), so the cosines vary and
        // are mostly positive; random unit vectors would score 0 half the time.
        String clipModelId = ModelRef.resolve(session.spark(), TinyModels.clip().toString()).modelId();
        Random random = new Random(11);
        List<Row> embeddingRows = new ArrayList<>();
        try (ClipEmbedder clip = ClipEmbedder.load(TinyModels.clip(), ComputeDevice.cpu())) {
            for (String id : order.subList(0, CLIP_IMAGES)) {
                float[] v = clip.embedTexts(List.of(candidates.get(id)))[0];
                for (int i = 0; i < v.length; i++) {
                    v[i] += (float) (0.1 * random.nextGaussian());
                }
                imageEmbeddings.put(id, v);
                embeddingRows.add(RowFactory.create(id, clipModelId, v, v.length, NOW));
            }
        }
        insert(LakelensTables.IMAGE_EMBEDDINGS, embeddingRows);
    }

    @AfterAll
    static void close() {
        session.close();
    }

    private static Row image(String id, String dataset) {
        return RowFactory.create(id, dataset, "file:/" + id, 1, 1, "png", "RGB", 1L, null, null, null, NOW);
    }

    private static Row caption(String id, String model, String decoding, String text) {
        return RowFactory.create(id, model, decoding, text, 5, null, null, NOW);
    }

    private static void insert(TableSpec spec, List<Row> rows) {
        SparkSession spark = session.spark();
        DeltaMerge.insertNew(spark, session.catalog(), spec, spark.createDataFrame(rows, spec.schema()));
    }

    @Test
    void distributedScoresEqualTheLibraryAndTheRunIsStored() {
        CaptionEvalJob.Result result = new CaptionEvalJob(session).run(new CaptionEvalJob.Options(
                "coco", "blip-test", "greedy", TinyModels.clip().toString(), "cpu"), QUIET);

        CaptionEvaluation<String> expected = new CaptionEvaluator(
                new PtbTokenizer(PtbTokenizer.LineBreaks.AS_SPACE), CaptionEvaluator.cocoMetrics())
                .evaluate(order, references, candidates);
        for (String metric : CaptionEvalJob.COCO_METRICS) {
            double e = expected.corpus().get(metric);
            double a = result.metrics().get(metric);
            assertTrue(Math.abs(e - a) <= 1e-12 * Math.max(1, Math.abs(e)), metric + ": " + e + " vs " + a);
        }
        assertEquals(IMAGES, result.metrics().get("num_images"));
        assertEquals(1.0, result.metrics().get("images_without_references"));
        assertEquals(1.0, result.metrics().get("images_without_candidate"));

        List<Row> stored = session.spark().sql("SELECT image_id, candidate, scores FROM lakelens.caption_scores"
                + " WHERE run_id = '" + result.runId() + "'").collectAsList();
        assertEquals(IMAGES, stored.size());
        ClipScores clip = expectedClipScores();
        List<String> clipIds = List.copyOf(imageEmbeddings.keySet());
        for (Row r : stored) {
            String id = r.getString(0);
            Map<String, Double> scores = new LinkedHashMap<>(r.getJavaMap(2));
            assertEquals(candidates.get(id), r.getString(1));
            Double clipScore = scores.remove("CLIPScore");
            Double refClipScore = scores.remove("RefCLIPScore");
            assertEquals(expected.perImage().get(id), scores,
                    "per-image scores are the library's, bit for bit, for " + id);
            int i = clipIds.indexOf(id);
            if (i < 0) {
                assertEquals(null, clipScore, id + " has no image embedding");
                assertEquals(null, refClipScore, id + " has no image embedding");
            } else {
                // The executor embeds the texts in other batches than this test: float noise only.
                assertEquals(clip.perImageClipScore()[i], clipScore, 1e-6, "CLIPScore of " + id);
                assertEquals(clip.perImageRefClipScore()[i], refClipScore, 1e-6, "RefCLIPScore of " + id);
            }
        }
        assertEquals(clip.clipScore(), result.metrics().get("CLIPScore"), 1e-6);
        assertEquals(clip.refClipScore(), result.metrics().get("RefCLIPScore"), 1e-6);
        assertTrue(clip.clipScore() > 0 && clip.refClipScore() > 0, clip.clipScore() + " " + clip.refClipScore());
        assertEquals(IMAGES - CLIP_IMAGES, result.metrics().get("images_without_image_embedding"));
        Row run = session.spark().sql("SELECT kind, model_id, metrics['CIDEr'], parameters['decoding'],"
                + " metrics['CLIPScore'], metrics['RefCLIPScore'] FROM lakelens.eval_runs WHERE run_id = '"
                + result.runId() + "'").first();
        assertEquals("captions", run.getString(0));
        assertEquals("blip-test", run.getString(1));
        assertEquals(result.metrics().get("CIDEr"), run.getDouble(2));
        assertEquals("greedy", run.getString(3));
        assertEquals(result.metrics().get("CLIPScore"), run.getDouble(4));
        assertEquals(result.metrics().get("RefCLIPScore"), run.getDouble(5));
        assertTrue(result.metrics().containsKey("distinct_2"), result.metrics().toString());
    }

    /** The library's CLIPScore of the images with an embedding, texts embedded here as the job does. */
    private static ClipScores expectedClipScores() {
        List<String> ids = List.copyOf(imageEmbeddings.keySet());
        float[][] images = new float[ids.size()][];
        float[][] candidateVectors = new float[ids.size()][];
        float[][][] referenceVectors = new float[ids.size()][][];
        try (ClipEmbedder clip = ClipEmbedder.load(TinyModels.clip(), ComputeDevice.cpu())) {
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                images[i] = imageEmbeddings.get(id);
                candidateVectors[i] = clip.embedTexts(List.of(ClipScoring.TEXT_PREFIX + candidates.get(id)))[0];
                referenceVectors[i] = clip.embedTexts(
                        references.get(id).stream().map(r -> ClipScoring.TEXT_PREFIX + r).toList());
            }
        }
        return ClipScore.score(images, candidateVectors, referenceVectors);
    }

    @Test
    void ambiguousOrMissingCaptionsFailBeforeAnythingIsWritten() {
        session.catalog().ensure(LakelensTables.EVAL_RUNS);
        long runsBefore = session.spark().table("lakelens.eval_runs").count();
        LakelensException several = assertThrows(LakelensException.class, () -> new CaptionEvalJob(session)
                .run(new CaptionEvalJob.Options("coco", "blip-test", null), QUIET));
        assertTrue(several.getMessage().contains("--decoding") && several.getMessage().contains("beam"),
                several.getMessage());
        LakelensException none = assertThrows(LakelensException.class, () -> new CaptionEvalJob(session)
                .run(new CaptionEvalJob.Options("other-dataset", "blip-test", "greedy"), QUIET));
        assertTrue(none.getMessage().contains("nothing to evaluate"), none.getMessage());
        assertEquals(runsBefore, session.spark().table("lakelens.eval_runs").count());
    }

    @Test
    void textStatisticsOfSmallCaptionsComputedByHand() {
        SparkSession spark = session.spark();
        org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
                .add("image_id", "string").add("candidate", "string").add("raw_references", "array<string>");
        List<Row> rows = List.of(
                RowFactory.create("1", "A dog runs.", new String[] {"a dog runs", "A brown dog."}),
                RowFactory.create("2", "A dog sleeps!", new String[] {"A cat sleeps"}),
                RowFactory.create("3", "Two cats", new String[] {"two cats!!"}));
        CaptionTextStats.Stats stats = new CaptionTextStats(spark).compute(spark.createDataFrame(rows, schema));
        // words: a dog runs | a dog sleeps | two cats → 8 words, 6 distinct;
        // bigrams: a dog, dog runs | a dog, dog sleeps | two cats → 5 bigrams, 4 distinct;
        // images 1 and 3 repeat one of their references word for word.
        assertEquals(6, stats.vocabularySize());
        assertEquals(6 / 8.0, stats.distinct1(), 1e-15);
        assertEquals(4 / 5.0, stats.distinct2(), 1e-15);
        assertEquals(8 / 3.0, stats.meanLength(), 1e-15);
        assertEquals(2 / 3.0, stats.copiedFromReferences(), 1e-15);
    }
}
