package io.lakelens.jobs.captioneval;

import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;

import com.johnsnowlabs.nlp.DocumentAssembler;
import com.johnsnowlabs.nlp.annotators.NGramGenerator;
import com.johnsnowlabs.nlp.annotators.Normalizer;
import com.johnsnowlabs.nlp.annotators.Tokenizer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Caption text analytics with Spark NLP's rule-based annotators (no pretrained model, nothing
 * downloaded): {@code DocumentAssembler → Tokenizer → Normalizer → NGramGenerator(n = 2)}.
 *
 * <p>Words are the normalizer's output: tokens lower-cased, with everything but letters and digits
 * removed, and tokens left empty dropped (so punctuation is not a word). On the candidates:
 * <ul>
 *   <li>{@code vocabulary_size}: distinct words over all candidates;</li>
 *   <li>{@code distinct_1}, {@code distinct_2}: distinct words (bigrams) / all words (bigrams), the
 *       diversity measure of Li et al. 2016 over the whole corpus; NaN when there is no word (bigram);</li>
 *   <li>{@code mean_length}: mean number of words per candidate;</li>
 *   <li>{@code copied_from_references}: share of candidates whose word sequence equals the word
 *       sequence of one of the image's own references (a caption copied from the training data).</li>
 * </ul>
 */
public final class CaptionTextStats {

    /** The statistics; see the class comment. */
    public record Stats(long vocabularySize, double distinct1, double distinct2, double meanLength,
            double copiedFromReferences) {

        public Map<String, Double> asMetrics() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("vocabulary_size", (double) vocabularySize);
            m.put("distinct_1", distinct1);
            m.put("distinct_2", distinct2);
            m.put("mean_length", meanLength);
            m.put("copied_from_references", copiedFromReferences);
            return m;
        }
    }

    private final SparkSession spark;

    public CaptionTextStats(SparkSession spark) {
        this.spark = spark;
    }

    /**
     * @param captions rows of {@code image_id}, {@code candidate} (raw text), {@code raw_references}
     *     (array of raw texts); at least one row
     */
    public Stats compute(Dataset<Row> captions) {
        PipelineModel words = pipeline().fit(captions.select(col("candidate").as("text")).limit(0));
        Dataset<Row> candidates = words.transform(captions.select(col("image_id"), col("candidate").as("text")))
                .select(col("image_id"), col("normalized.result").as("words"), col("bigrams.result").as("bigrams"))
                .cache();
        try {
            long numCaptions = candidates.count();
            Row totals = candidates.agg(sum(size(col("words"))), sum(size(col("bigrams")))).first();
            long allWords = totals.isNullAt(0) ? 0 : totals.getLong(0);
            long allBigrams = totals.isNullAt(1) ? 0 : totals.getLong(1);
            long distinctWords = candidates.select(explode(col("words")).as("w")).distinct().count();
            long distinctBigrams = candidates.select(explode(col("bigrams")).as("b")).distinct().count();

            Dataset<Row> references = words.transform(
                            captions.select(col("image_id"), explode(col("raw_references")).as("text")))
                    .select(col("image_id"), array_join(col("normalized.result"), " ").as("sequence"));
            long copied = candidates.select(col("image_id"), array_join(col("words"), " ").as("sequence"))
                    .join(references, new String[] {"image_id", "sequence"}, "left_semi")
                    .count();
            return new Stats(distinctWords,
                    allWords == 0 ? Double.NaN : distinctWords / (double) allWords,
                    allBigrams == 0 ? Double.NaN : distinctBigrams / (double) allBigrams,
                    numCaptions == 0 ? Double.NaN : allWords / (double) numCaptions,
                    numCaptions == 0 ? Double.NaN : copied / (double) numCaptions);
        } finally {
            candidates.unpersist();
        }
    }

    /** text → document → token → normalized (words) → bigrams. */
    static Pipeline pipeline() {
        DocumentAssembler document = new DocumentAssembler();
        document.setInputCol("text");
        document.setOutputCol("document");
        Tokenizer tokenizer = new Tokenizer();
        tokenizer.setInputCols(new String[] {"document"});
        tokenizer.setOutputCol("token");
        Normalizer normalizer = new Normalizer();
        normalizer.setInputCols(new String[] {"token"});
        normalizer.setOutputCol("normalized");
        normalizer.setLowercase(true);
        normalizer.setCleanupPatterns(new String[] {"[^\\p{L}\\p{N}]"});
        NGramGenerator bigrams = new NGramGenerator();
        bigrams.setInputCols(new String[] {"normalized"});
        bigrams.setOutputCol("bigrams");
        bigrams.setN(2);
        bigrams.setEnableCumulative(false);
        return new Pipeline().setStages(new PipelineStage[] {document, tokenizer, normalizer, bigrams});
    }
}
