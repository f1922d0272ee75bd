package io.lakelens.jobs.sql;

import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.tables.DeltaMerge;
import io.lakelens.jobs.tables.LakelensTables;
import io.lakelens.jobs.testing.TestImages;
import io.lakelens.jobs.testing.TinyModels;
import io.lakelens.models.clip.ClipEmbedder;
import io.lakelens.models.clip.ClipModel;
import io.lakelens.models.hub.ModelLocator;
import io.lakelens.models.runtime.ComputeDevice;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A small warehouse for the SQL tests: {@code lakelens.image_embeddings} holding the tiny CLIP's
 * embeddings of a few synthetic images, computed here with the library (no Spark job), so that the
 * SQL results can be checked against the library's own numbers.
 */
final class EmbeddingsWarehouse {

    static final int IMAGES = 12;

    final String modelId;
    final Map<String, float[]> embeddings = new LinkedHashMap<>();
    final Map<String, byte[]> images = new LinkedHashMap<>();

    private EmbeddingsWarehouse(String modelId) {
        this.modelId = modelId;
    }

    /** Writes the embeddings into the session's warehouse. */
    static EmbeddingsWarehouse write(LakelensSession session) {
        EmbeddingsWarehouse w = new EmbeddingsWarehouse(ModelLocator.resolve(TinyModels.clip().toString()).modelId());
        try (ClipEmbedder clip = ClipEmbedder.load(TinyModels.clip(), ComputeDevice.cpu())) {
            for (int i = 0; i < IMAGES; i++) {
                byte[] png = TestImages.image("png", 48, 40, i);
                String id = String.format("img%02d", i);
                w.images.put(id, png);
                w.embeddings.put(id, clip.embedImages(clip.processor().preprocess(png), 1)[0]);
            }
        }
        Timestamp now = new Timestamp(System.currentTimeMillis());
        List<Row> rows = new ArrayList<>();
        w.embeddings.forEach((id, e) -> rows.add(RowFactory.create(id, w.modelId, e, e.length, now)));
        DeltaMerge.insertNew(session.spark(), session.catalog(), LakelensTables.IMAGE_EMBEDDINGS,
                session.spark().createDataFrame(rows, LakelensTables.IMAGE_EMBEDDINGS.schema()));
        return w;
    }

    /** The library's text embedding of {@code text} with the tiny model. */
    static float[] textEmbedding(String text) {
        try (ClipEmbedder clip = ClipEmbedder.load(TinyModels.clip(), ComputeDevice.cpu())) {
            return clip.embedTexts(List.of(text))[0];
        }
    }

    /** Image ids by descending cosine similarity to {@code query}, computed without Spark. */
    List<Map.Entry<String, Double>> ranking(float[] query) {
        List<Map.Entry<String, Double>> out = new ArrayList<>();
        embeddings.forEach((id, e) -> out.add(Map.entry(id, cosine(e, query))));
        out.sort(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        return out;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
