package io.lakelens.jobs.captioneval;

import io.lakelens.eval.captions.Bleu;
import io.lakelens.eval.captions.BleuStats;
import io.lakelens.eval.captions.CiderD;
import io.lakelens.eval.captions.RougeL;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

/**
 * Executor side of the caption metrics. The maths is {@code eval}'s ({@link Bleu}, {@link RougeL},
 * {@link CiderD}); this class only moves rows: the n-grams that count towards CIDEr-D's document
 * frequencies, the n-grams whose frequency an image needs, and the per-image scores with the BLEU
 * statistics that the corpus BLEU sums.
 */
final class CaptionScoring {

    private CaptionScoring() {}

    /** Input rows: image_id, candidate (raw), tokenized_candidate, references (tokenized, array). */
    static final StructType DOCUMENT_NGRAM = new StructType().add("ngram", DataTypes.StringType, false);

    static final StructType IMAGE_NGRAM = new StructType()
            .add("image_id", DataTypes.StringType, false)
            .add("ngram", DataTypes.StringType, false);

    static final StructType SCORES = new StructType()
            .add("image_id", DataTypes.StringType, false)
            .add("candidate", DataTypes.StringType, false)
            .add("test_length", DataTypes.LongType, false)
            .add("reference_length", DataTypes.LongType, false)
            .add("guess", DataTypes.createArrayType(DataTypes.LongType, false), false)
            .add("correct", DataTypes.createArrayType(DataTypes.LongType, false), false)
            .add("scores", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false), false);

    /** Every distinct n-gram of an image's references, once per image: summed, CIDEr-D's df. */
    static final class DocumentNGrams implements FlatMapFunction<Row, Row> {
        private static final long serialVersionUID = 1L;

        @Override
        public Iterator<Row> call(Row r) {
            List<Row> out = new ArrayList<>();
            for (String gram : CiderD.documentNGrams(references(r))) {
                out.add(RowFactory.create(gram));
            }
            return out.iterator();
        }
    }

    /** The n-grams of an image's candidate and references, whose df its CIDEr-D looks up. */
    static final class ScoredNGrams implements FlatMapFunction<Row, Row> {
        private static final long serialVersionUID = 1L;

        @Override
        public Iterator<Row> call(Row r) {
            String id = r.getString(r.fieldIndex("image_id"));
            List<Row> out = new ArrayList<>();
            for (String gram : CiderD.scoredNGrams(r.getString(r.fieldIndex("tokenized_candidate")), references(r))) {
                out.add(RowFactory.create(id, gram));
            }
            return out.iterator();
        }
    }

    /** Per-image BLEU-1..4 (with its statistics), ROUGE-L and CIDEr-D, given df and N. */
    static final class Score implements MapFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final long numImages;

        Score(long numImages) {
            this.numImages = numImages;
        }

        @Override
        public Row call(Row r) {
            String candidate = r.getString(r.fieldIndex("tokenized_candidate"));
            List<String> references = references(r);
            int dfField = r.fieldIndex("document_frequency");
            Map<String, Long> df = r.isNullAt(dfField) ? Map.of() : r.getJavaMap(dfField);
            Bleu bleu = new Bleu(4);
            BleuStats stats = bleu.stats(candidate, references);
            double[] bleus = bleu.imageScores(stats);
            Map<String, Double> scores = new LinkedHashMap<>();
            for (int k = 0; k < bleus.length; k++) {
                scores.put(bleu.scoreNames().get(k), bleus[k]);
            }
            scores.put(RougeL.NAME, RougeL.imageScore(candidate, references));
            scores.put(CiderD.NAME, CiderD.imageScore(candidate, references,
                    gram -> df.getOrDefault(gram, 0L).intValue(), numImages));
            return RowFactory.create(r.getString(r.fieldIndex("image_id")), r.getString(r.fieldIndex("candidate")),
                    (long) stats.testLength(), (long) stats.closestReferenceLength(), longs(stats.guess()),
                    longs(stats.correct()), JavaConverters.mapAsScalaMap(scores));
        }
    }

    static List<String> references(Row r) {
        return r.getList(r.fieldIndex("references"));
    }

    private static Long[] longs(int[] values) {
        Long[] out = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (long) values[i];
        }
        return out;
    }
}
