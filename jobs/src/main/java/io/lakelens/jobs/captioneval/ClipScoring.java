package io.lakelens.jobs.captioneval;

import io.lakelens.eval.clipscore.ClipScore;
import io.lakelens.jobs.inference.BatchIterator;
import io.lakelens.jobs.inference.ExecutorModels;
import io.lakelens.jobs.inference.ModelRef;
import io.lakelens.models.clip.ClipEmbedder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Executor side of CLIPScore and RefCLIPScore: embeds each image's candidate and reference captions
 * with the executor's shared CLIP model and scores them with {@code eval}'s {@link ClipScore} against
 * the image's stored embedding.
 *
 * <p>Every text is embedded as {@link #TEXT_PREFIX} + caption, as the CLIPScore authors' script does
 * for candidates and references alike ({@code CLIPCapDataset(prefix='A photo depicts')}).
 *
 * <p>Input rows: image_id, candidate (raw), raw_references (array of raw captions, at least one),
 * image_embedding (array of float). Output: {@link #SCHEMA}.
 */
final class ClipScoring implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    /** Prepended to every caption before embedding, as in the reference implementation. */
    static final String TEXT_PREFIX = "A photo depicts ";

    static final StructType SCHEMA = new StructType()
            .add("image_id", DataTypes.StringType, false)
            .add("clip_score", DataTypes.DoubleType, false)
            .add("ref_clip_score", DataTypes.DoubleType, false);

    private static final int IMAGES_PER_BATCH = 32;
    private static final int TEXTS_PER_CALL = 64;

    private final ModelRef model;
    private final String device;

    ClipScoring(ModelRef model, String device) {
        this.model = model;
        this.device = device;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        ClipEmbedder clip = ExecutorModels.clip(model, device);
        return new BatchIterator<Row, Row>(rows, IMAGES_PER_BATCH) {
            @Override
            protected List<Row> process(List<Row> batch) {
                // Each distinct text of the batch is embedded once.
                Map<String, float[]> embeddings = new LinkedHashMap<>();
                for (Row r : batch) {
                    embeddings.put(TEXT_PREFIX + r.getString(1), null);
                    for (Object reference : r.getList(2)) {
                        embeddings.put(TEXT_PREFIX + reference, null);
                    }
                }
                List<String> texts = new ArrayList<>(embeddings.keySet());
                for (int from = 0; from < texts.size(); from += TEXTS_PER_CALL) {
                    List<String> chunk = texts.subList(from, Math.min(from + TEXTS_PER_CALL, texts.size()));
                    float[][] vectors = clip.embedTexts(chunk);
                    for (int i = 0; i < vectors.length; i++) {
                        embeddings.put(chunk.get(i), vectors[i]);
                    }
                }
                List<Row> out = new ArrayList<>(batch.size());
                for (Row r : batch) {
                    String imageId = r.getString(0);
                    float[] image = floats(r.getList(3));
                    float[] candidate = embeddings.get(TEXT_PREFIX + r.getString(1));
                    List<Object> raw = r.getList(2);
                    float[][] references = new float[raw.size()][];
                    for (int i = 0; i < references.length; i++) {
                        references[i] = embeddings.get(TEXT_PREFIX + raw.get(i));
                    }
                    try {
                        double clipScore = ClipScore.clipScore(image, candidate);
                        double refClipScore = ClipScore.refClipScore(image, candidate, references);
                        out.add(RowFactory.create(imageId, clipScore, refClipScore));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("CLIPScore of image " + imageId + ": " + e.getMessage(), e);
                    }
                }
                return out;
            }
        };
    }

    private static float[] floats(List<Object> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values.get(i)).floatValue();
        }
        return out;
    }
}
