package io.lakelens.jobs.zeroshot;

import io.lakelens.models.clip.ZeroShotClassifier;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Executor side of {@code lakelens zeroshot}: each stored image embedding scored by the library's
 * {@link ZeroShotClassifier}, broadcast from the driver (the class embeddings are a few thousand
 * floats; the images need no model), so the job, {@code lakelens model zeroshot} and fine-tuning's
 * validation give the same probabilities and the same order.
 */
final class ZeroShotPredictor implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    static final StructType SCHEMA = new StructType()
            .add("image_id", DataTypes.StringType, false)
            .add("true_label", DataTypes.StringType, false)
            .add("predicted_label", DataTypes.StringType, false)
            .add("top_labels", DataTypes.createArrayType(DataTypes.StringType, false), false)
            .add("top_probs", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
            .add("top5_hit", DataTypes.BooleanType, false);

    private final Broadcast<ZeroShotClassifier> classifier;
    private final int topK;

    ZeroShotPredictor(Broadcast<ZeroShotClassifier> classifier, int topK) {
        this.classifier = classifier;
        this.topK = topK;
    }

    /** (image_id, label, embedding) in, {@link #SCHEMA} out. */
    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        ZeroShotClassifier c = classifier.value();
        List<Row> out = new ArrayList<>();
        while (rows.hasNext()) {
            Row r = rows.next();
            List<Float> stored = r.getList(2);
            float[] embedding = new float[stored.size()];
            for (int d = 0; d < embedding.length; d++) {
                embedding[d] = stored.get(d);
            }
            List<ZeroShotClassifier.Prediction> top = c.classify(embedding, topK);
            String[] labels = new String[top.size()];
            double[] probs = new double[top.size()];
            boolean top5 = false;
            for (int t = 0; t < top.size(); t++) {
                labels[t] = top.get(t).label();
                probs[t] = top.get(t).probability();
                top5 |= t < 5 && labels[t].equals(r.getString(1));
            }
            out.add(RowFactory.create(r.getString(0), r.getString(1), labels[0], labels, probs, top5));
        }
        return out.iterator();
    }
}
