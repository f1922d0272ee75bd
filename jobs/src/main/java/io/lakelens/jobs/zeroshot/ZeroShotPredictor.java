package io.lakelens.jobs.zeroshot;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Executor side of {@code lakelens zeroshot}: for each stored image embedding, the softmax over
 * {@code logit_scale * cosine} with every class's prompt-ensembled text embedding, and the top-k.
 * Plain Java over the broadcast class matrix: a few thousand multiply-adds per image need no model.
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

    /**
     * What every task needs: the classes, their embeddings and the scale. A plain class, not a
     * record: Spark broadcasts with Kryo, whose bundled version cannot build records.
     */
    static final class Classes implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final String[] labels;
        private final float[][] embeddings;
        private final double logitScaleExp;
        private final int topK;

        Classes(List<String> labels, float[][] embeddings, double logitScaleExp, int topK) {
            this.labels = labels.toArray(new String[0]);
            this.embeddings = embeddings;
            this.logitScaleExp = logitScaleExp;
            this.topK = topK;
        }

        List<String> labels() {
            return List.of(labels);
        }

        float[][] embeddings() {
            return embeddings;
        }

        double logitScaleExp() {
            return logitScaleExp;
        }

        int topK() {
            return topK;
        }
    }

    private final Broadcast<Classes> classes;

    ZeroShotPredictor(Broadcast<Classes> classes) {
        this.classes = classes;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        Classes c = classes.value();
        int n = c.labels().size();
        int k = Math.min(c.topK(), n);
        Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            index.put(c.labels().get(i), i);
        }
        List<Row> out = new ArrayList<>();
        double[] probs = new double[n];
        while (rows.hasNext()) {
            Row r = rows.next();
            List<Float> stored = r.getList(2);
            float[] e = new float[stored.size()];
            for (int d = 0; d < e.length; d++) {
                e[d] = stored.get(d);
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                float[] w = c.embeddings()[j];
                double dot = 0;
                for (int d = 0; d < w.length; d++) {
                    dot += (double) w[d] * e[d];
                }
                probs[j] = c.logitScaleExp() * dot;
                max = Math.max(max, probs[j]);
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                probs[j] = Math.exp(probs[j] - max);
                sum += probs[j];
            }
            int[] order = topK(probs, k);
            String[] labels = new String[k];
            double[] top = new double[k];
            for (int t = 0; t < k; t++) {
                labels[t] = c.labels().get(order[t]);
                top[t] = probs[order[t]] / sum;
            }
            String truth = r.getString(1);
            int trueIndex = index.get(truth);
            boolean top5 = false;
            for (int t = 0; t < Math.min(5, k); t++) {
                top5 |= order[t] == trueIndex;
            }
            out.add(RowFactory.create(r.getString(0), truth, labels[0], labels, top, top5));
        }
        return out.iterator();
    }

    /** Indices of the k largest values, largest first; ties go to the lower index. */
    static int[] topK(double[] values, int k) {
        int[] best = new int[k];
        boolean[] taken = new boolean[values.length];
        for (int t = 0; t < k; t++) {
            int arg = -1;
            for (int j = 0; j < values.length; j++) {
                if (!taken[j] && (arg < 0 || values[j] > values[arg])) {
                    arg = j;
                }
            }
            best[t] = arg;
            taken[arg] = true;
        }
        return best;
    }
}
