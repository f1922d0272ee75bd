package io.lakelens.jobs.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lakelens.eval.retrieval.RetrievalRecall;
import io.lakelens.eval.retrieval.RetrievalResult;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distributed blockwise recall@K against the library's brute force, on random unit embeddings of
 * 13 images (one without captions) and their 2-3 captions, one of which has no stored embedding and
 * is embedded by the (tiny) model in the executors; a 14th image has a caption but no image embedding.
 */
class RetrievalEvalJobTest {

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());
    private static final Timestamp NOW = new Timestamp(System.currentTimeMillis());

    @TempDir
    Path tmp;

    @Test
    void blockwiseRecallEqualsBruteForceAndTheRunIsStored() throws Exception {
        try (LakelensSession session = SparkTestSession.on(tmp.resolve("wh"))) {
            SparkSession spark = session.spark();
            String modelId = ModelRef.resolve(spark, TinyModels.clip().toString()).modelId();
            String unembedded = "a caption only the model can embed";
            float[] unembeddedVector;
            try (ClipEmbedder clip = ClipEmbedder.load(TinyModels.clip(), ComputeDevice.cpu())) {
                unembeddedVector = clip.embedTexts(List.of(unembedded))[0];
            }
            int dim = unembeddedVector.length;
            Random random = new Random(7);
            int numImages = 13;
            List<float[]> imageVectors = new ArrayList<>();
            List<float[]> textVectors = new ArrayList<>();
            List<Integer> textImage = new ArrayList<>();
            List<Row> images = new ArrayList<>();
            List<Row> imageEmbeddings = new ArrayList<>();
            List<Row> captions = new ArrayList<>();
            List<Row> textEmbeddings = new ArrayList<>();
            for (int i = 0; i < numImages; i++) {
                String id = "img" + i;
                float[] v = unit(random, dim);
                imageVectors.add(v);
                images.add(RowFactory.create(id, "r", "file:/" + id, 1, 1, "png", "RGB", 1L, null, null, null, NOW));
                imageEmbeddings.add(RowFactory.create(id, modelId, v, dim, NOW));
                int numCaptions = i == numImages - 1 ? 0 : 2 + i % 2;
                for (int c = 0; c < numCaptions; c++) {
                    String text = i == 4 && c == 1 ? unembedded : "caption " + c + " of image " + i;
                    float[] t = text.equals(unembedded) ? unembeddedVector : unit(random, dim);
                    textVectors.add(t);
                    textImage.add(i);
                    captions.add(RowFactory.create(id, "r", text, "test", NOW));
                    if (!text.equals(unembedded)) {
                        textEmbeddings.add(RowFactory.create(sha256(text), text, modelId, t, dim, "test", NOW));
                    }
                }
            }
            // A captioned image of the dataset without an embedding: its caption is left out, and counted.
            images.add(RowFactory.create("no-embedding", "r", "file:/n", 1, 1, "png", "RGB", 1L, null, null, null, NOW));
            captions.add(RowFactory.create("no-embedding", "r", "a caption of an image without embedding", "test", NOW));
            images.add(RowFactory.create("other", "elsewhere", "file:/o", 1, 1, "png", "RGB", 1L, null, null, null, NOW));
            imageEmbeddings.add(RowFactory.create("other", modelId, unit(random, dim), dim, NOW));
            insert(session, LakelensTables.IMAGES, images);
            insert(session, LakelensTables.IMAGE_EMBEDDINGS, imageEmbeddings);
            insert(session, LakelensTables.REFERENCE_CAPTIONS, captions);
            insert(session, LakelensTables.TEXT_EMBEDDINGS, textEmbeddings);

            RetrievalEvalJob.Result result = new RetrievalEvalJob(session)
                    .run(new RetrievalEvalJob.Options("r", TinyModels.clip().toString(), "cpu", 5), QUIET);

            RetrievalResult expected = RetrievalRecall.compute(imageVectors.toArray(new float[0][]),
                    textVectors.toArray(new float[0][]), textImage.stream().mapToInt(Integer::intValue).toArray(),
                    RetrievalEvalJob.KS);
            assertEquals(expected.textToImageHits(), result.recall().textToImageHits());
            assertEquals(expected.imageToTextHits(), result.recall().imageToTextHits());
            assertEquals(expected.numTexts(), result.recall().numTexts());
            assertEquals(numImages, result.recall().numImages());
            assertEquals((double) expected.numTexts(), result.metrics().get("num_texts"));
            assertEquals(1.0, result.metrics().get("texts_without_image_embedding"));
            assertEquals((double) numImages, result.metrics().get("num_images"));
            Row run = spark.sql("SELECT kind, model_id, metrics['image_to_text_R@5'], metrics['text_to_image_R@1']"
                    + " FROM lakelens.eval_runs WHERE run_id = '" + result.runId() + "'").first();
            assertEquals("retrieval", run.getString(0));
            assertEquals(modelId, run.getString(1));
            assertEquals(expected.imageToTextRecall(5), run.getDouble(2));
            assertEquals(expected.textToImageRecall(1), run.getDouble(3));
        }
    }

    private static void insert(LakelensSession session, TableSpec spec, List<Row> rows) {
        SparkSession spark = session.spark();
        DeltaMerge.insertNew(spark, session.catalog(), spec, spark.createDataFrame(rows, spec.schema()));
    }

    private static float[] unit(Random random, int dim) {
        float[] v = new float[dim];
        double norm = 0;
        for (int i = 0; i < dim; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < dim; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
