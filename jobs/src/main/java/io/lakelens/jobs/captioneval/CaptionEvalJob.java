package io.lakelens.jobs.captioneval;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.map_concat;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.lakelens.eval.captions.Bleu;
import io.lakelens.eval.captions.BleuCorpusStats;
import io.lakelens.eval.captions.CiderD;
import io.lakelens.eval.captions.RougeL;
import io.lakelens.jobs.JobOptions;
import io.lakelens.jobs.LakelensException;
import io.lakelens.jobs.tables.MetricNames;
import io.lakelens.jobs.inference.ModelRef;
import io.lakelens.jobs.runs.JobRun;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.tables.DeltaMerge;
import io.lakelens.jobs.tables.LakelensTables;
import io.lakelens.models.hub.ModelLocator;
import java.io.PrintStream;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code lakelens caption-eval}: the COCO caption metrics (BLEU-1..4, ROUGE-L, CIDEr-D) of a
 * captioning model's {@code generated_captions} against a dataset's {@code reference_captions},
 * computed distributed with {@code eval}'s metric code, plus caption text analytics
 * ({@link CaptionTextStats}). Stores {@code caption_scores} (per image) and an {@code eval_runs} row
 * of kind "captions"; nothing is written before every number is computed.
 *
 * <p>How it is distributed: captions are PTB-tokenized in executors; each image's distinct reference
 * n-grams are counted by Spark into CIDEr-D's document frequencies; each image receives the
 * frequencies of its own n-grams by a join and is scored in an executor; corpus BLEU comes from the
 * summed statistics, corpus ROUGE-L and CIDEr-D are means. Per image the scores equal
 * {@code CaptionEvaluator}'s on the same images bit for bit (same references in the same order);
 * corpus means may differ in the last bits, as Spark sums in another order than NumPy.
 *
 * <p>The evaluated images are the dataset's images that have both a generated caption and at least one
 * reference; the others are counted ({@code images_without_references},
 * {@code images_without_candidate}). References are scored in the order of their raw text.
 *
 * <p>With a CLIP model ({@code --clip-model}), CLIPScore and RefCLIPScore ({@code eval}'s
 * {@code ClipScore}) are added: candidate and reference captions are embedded in the executors
 * ({@link ClipScoring}), the images' embeddings are read from {@code image_embeddings} of that model
 * (run {@code lakelens embed} first). An evaluated image without one gets no CLIP scores and is counted
 * ({@code images_without_image_embedding}); the CLIP corpus means are over the others. Per image both
 * scores go into {@code caption_scores.scores} next to the COCO metrics.
 */
public final class CaptionEvalJob {

    public static final List<String> COCO_METRICS = List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", RougeL.NAME, CiderD.NAME);

    /**
     * @param dataset dataset whose references are used
     * @param captionsModel model id as stored in generated_captions, or a model spec that resolves to it
     * @param decoding decoding string of the captions; null when the model has captions of one decoding only
     */
    public record Options(String dataset, String captionsModel, String decoding, String clipModel, String device) {

        public Options {
            JobOptions.dataset(dataset);
            JobOptions.model("--captions-model", captionsModel);
            JobOptions.device(device);
        }

        /** Without CLIP scores. */
        public Options(String dataset, String captionsModel, String decoding) {
            this(dataset, captionsModel, decoding, null, "auto");
        }
    }

    /** What a run computed: corpus metrics and counts, in {@code eval_runs} order. */
    public record Result(String runId, String modelId, String decoding, Map<String, Double> metrics) {

        /** What the command prints: a header line, then one "name value" line per metric. */
        public String report() {
            StringBuilder b = new StringBuilder(String.format("caption-eval: %s (%s) on %d images%n", modelId, decoding,
                    metrics.get("num_images").longValue()));
            metrics.forEach((name, value) -> b.append("  ").append(name).append(' ').append(value)
                    .append(System.lineSeparator()));
            return b.toString();
        }
    }

    private final LakelensSession session;

    public CaptionEvalJob(LakelensSession session) {
        this.session = session;
    }

    public Result run(Options o, PrintStream out) {
        SparkSession spark = session.spark();
        String modelId = modelId(spark, o.captionsModel());
        String decoding = decoding(spark, modelId, o.decoding());
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("dataset", o.dataset());
        parameters.put("captions_model", o.captionsModel());
        parameters.put("decoding", decoding);
        parameters.put("tokenizer", "ptb-corenlp-3.4.1,line_breaks=as_space");
        ModelRef clip = null;
        if (o.clipModel() != null) {
            clip = ModelRef.resolve(spark, o.clipModel());
            parameters.put("clip_model", clip.modelId());
            parameters.put("clip_text_prefix", ClipScoring.TEXT_PREFIX);
        }
        ModelRef clipModel = clip;
        return JobRun.execute(session, "caption-eval", o.dataset(), modelId, parameters, run -> {
            Result result = evaluate(o.dataset(), modelId, decoding, clipModel, o.device(), parameters, run, out);
            run.items(result.metrics().get("num_images").longValue());
            return result;
        });
    }

    private Result evaluate(String dataset, String modelId, String decoding, ModelRef clip, String device,
            Map<String, String> parameters, JobRun run, PrintStream out) {
        SparkSession spark = session.spark();
        Instant started = run.startedAt();
        run.describe("tokenizing");
        Dataset<Row> images = spark.table(LakelensTables.IMAGES.qualifiedName())
                .where(col("dataset").equalTo(dataset)).select("image_id");
        Dataset<Row> candidates = spark.table(LakelensTables.GENERATED_CAPTIONS.qualifiedName())
                .where(col("model_id").equalTo(modelId).and(col("decoding").equalTo(decoding)))
                .join(images, "image_id").select("image_id", "caption");
        Dataset<Row> references = spark.table(LakelensTables.REFERENCE_CAPTIONS.qualifiedName())
                .where(col("dataset").equalTo(dataset)).select("image_id", "caption");
        Dataset<Row> referencesByImage = references
                .mapPartitions(new CaptionTokenizing(), Encoders.row(CaptionTokenizing.SCHEMA))
                .groupBy("image_id")
                .agg(sort_array(collect_list(struct(col("caption"), col("tokenized")))).as("refs"))
                .select(col("image_id"), col("refs.caption").as("raw_references"), col("refs.tokenized").as("references"));
        Dataset<Row> tokenizedCandidates = candidates
                .mapPartitions(new CaptionTokenizing(), Encoders.row(CaptionTokenizing.SCHEMA))
                .select(col("image_id"), col("caption").as("candidate"), col("tokenized").as("tokenized_candidate"));
        Dataset<Row> evaluable = tokenizedCandidates.join(referencesByImage, "image_id")
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> scored = null;
        Dataset<Row> clipScores = null;
        try {
            long numImages = evaluable.count();
            long numCandidates = candidates.count();
            long withReferences = referencesByImage.count();
            if (numImages == 0) {
                throw new LakelensException("nothing to evaluate: dataset '" + dataset + "' has " + withReferences
                        + " images with reference captions and model " + modelId + " (" + decoding + ") has "
                        + numCandidates + " generated captions for its images, none for the same image");
            }

            run.describe("CIDEr-D document frequencies");
            Dataset<Row> documentFrequency = evaluable
                    .flatMap(new CaptionScoring.DocumentNGrams(), Encoders.row(CaptionScoring.DOCUMENT_NGRAM))
                    .groupBy("ngram").agg(count(lit(1)).as("df"));
            if (documentFrequency.isEmpty()) {
                throw new LakelensException("CIDEr-D: every reference of the " + numImages
                        + " evaluated images is empty after tokenization");
            }
            Dataset<Row> frequenciesByImage = evaluable
                    .flatMap(new CaptionScoring.ScoredNGrams(), Encoders.row(CaptionScoring.IMAGE_NGRAM))
                    .join(documentFrequency, "ngram")
                    .groupBy("image_id")
                    .agg(map_from_entries(collect_list(struct(col("ngram"), col("df")))).as("document_frequency"));

            run.describe("per-image scores");
            scored = evaluable.join(frequenciesByImage, new String[] {"image_id"}, "left")
                    .map(new CaptionScoring.Score(numImages), Encoders.row(CaptionScoring.SCORES))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            Map<String, Double> metrics = corpusMetrics(scored);
            long withoutImageEmbedding = 0;
            Dataset<Row> perImage = scored;
            if (clip != null) {
                run.describe("CLIPScore");
                Dataset<Row> imageEmbeddings = spark.table(LakelensTables.IMAGE_EMBEDDINGS.qualifiedName())
                        .where(col("model_id").equalTo(clip.modelId()))
                        .select(col("image_id"), col("embedding").as("image_embedding"));
                clipScores = evaluable.join(imageEmbeddings, "image_id")
                        .select("image_id", "candidate", "raw_references", "image_embedding")
                        .mapPartitions(new ClipScoring(clip, device), Encoders.row(ClipScoring.SCHEMA))
                        .persist(StorageLevel.MEMORY_AND_DISK());
                long withEmbedding = clipScores.count();
                if (withEmbedding == 0) {
                    throw new LakelensException("CLIPScore: none of the " + numImages + " evaluated images of dataset '"
                            + dataset + "' has an image embedding of " + clip.modelId() + " (run `lakelens embed"
                            + " --dataset " + dataset + " --model " + clip.spec() + "` first)");
                }
                withoutImageEmbedding = numImages - withEmbedding;
                Row means = clipScores.agg(avg("clip_score"), avg("ref_clip_score")).first();
                metrics.put(MetricNames.CLIPSCORE, means.getDouble(0));
                metrics.put(MetricNames.REFCLIPSCORE, means.getDouble(1));
                Column clipMap = map(lit(MetricNames.CLIPSCORE), col("clip_score"),
                        lit(MetricNames.REFCLIPSCORE), col("ref_clip_score"));
                perImage = scored.join(clipScores, new String[] {"image_id"}, "left")
                        .withColumn("scores", when(col("clip_score").isNull(), col("scores"))
                                .otherwise(map_concat(col("scores"), clipMap)));
            }
            metrics.putAll(new CaptionTextStats(spark).compute(evaluable.select(
                    col("image_id"), col("candidate"), col("raw_references"))).asMetrics());
            metrics.put("num_images", (double) numImages);
            metrics.put("images_without_references", (double) (numCandidates - numImages));
            metrics.put("images_without_candidate", (double) (withReferences - numImages));
            if (clip != null) {
                metrics.put("images_without_image_embedding", (double) withoutImageEmbedding);
                run.count("images_without_image_embedding", withoutImageEmbedding);
            }
            run.count("images", numImages).count("images_without_references", numCandidates - numImages)
                    .count("images_without_candidate", withReferences - numImages);

            // Everything is computed; the writes come last, details before the eval_runs row, so a run
            // listed in eval_runs always has its per-image scores.
            run.describe("storing the run");
            String runId = run.runId();
            DeltaMerge.insertNew(spark, session.catalog(), LakelensTables.CAPTION_SCORES,
                    perImage.select(lit(runId).as("run_id"), col("image_id"), col("candidate"), col("scores")));
            run.record(new JobRun.Evaluation(MetricNames.CAPTIONS, modelId, dataset, parameters, metrics, null));
            Result result = new Result(runId, modelId, decoding, metrics);
            out.print(result.report());
            out.flush();
            return result;
        } finally {
            evaluable.unpersist();
            if (scored != null) {
                scored.unpersist();
            }
            if (clipScores != null) {
                clipScores.unpersist();
            }
        }
    }

    /** Corpus BLEU from the summed statistics; ROUGE-L and CIDEr-D as means of the image scores. */
    static Map<String, Double> corpusMetrics(Dataset<Row> scored) {
        List<Column> sums = new ArrayList<>();
        sums.add(sum("test_length"));
        sums.add(sum("reference_length"));
        for (int k = 1; k <= 4; k++) {
            sums.add(sum(element_at(col("guess"), k)));
            sums.add(sum(element_at(col("correct"), k)));
        }
        sums.add(avg(element_at(col("scores"), RougeL.NAME)));
        sums.add(avg(element_at(col("scores"), CiderD.NAME)));
        Row totals = scored.agg(sums.get(0), sums.subList(1, sums.size()).toArray(new Column[0])).first();
        long[] guess = new long[4];
        long[] correct = new long[4];
        for (int k = 0; k < 4; k++) {
            guess[k] = totals.getLong(2 + 2 * k);
            correct[k] = totals.getLong(3 + 2 * k);
        }
        double[] bleu = new Bleu(4).corpusScores(new BleuCorpusStats(totals.getLong(0), totals.getLong(1), guess, correct));
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (int k = 0; k < 4; k++) {
            metrics.put("Bleu_" + (k + 1), bleu[k]);
        }
        metrics.put(RougeL.NAME, totals.getDouble(10));
        metrics.put(CiderD.NAME, totals.getDouble(11));
        return metrics;
    }

    /** The stored model id: as given when generated_captions has it, else what the spec resolves to. */
    private static String modelId(SparkSession spark, String spec) {
        boolean stored = !spark.table(LakelensTables.GENERATED_CAPTIONS.qualifiedName())
                .where(col("model_id").equalTo(spec)).limit(1).isEmpty();
        return stored ? spec : ModelLocator.resolve(spec).modelId();
    }

    private static String decoding(SparkSession spark, String modelId, String requested) {
        List<String> decodings = spark.table(LakelensTables.GENERATED_CAPTIONS.qualifiedName())
                .where(col("model_id").equalTo(modelId)).select("decoding").distinct().as(Encoders.STRING())
                .collectAsList();
        if (requested != null) {
            if (!decodings.contains(requested)) {
                throw new LakelensException("model " + modelId + " has no captions with decoding '" + requested
                        + "'; it has " + (decodings.isEmpty() ? "none" : String.join(" | ", decodings)));
            }
            return requested;
        }
        if (decodings.size() != 1) {
            throw new LakelensException(decodings.isEmpty()
                    ? "model " + modelId + " has no generated captions (run `lakelens caption` first)"
                    : "model " + modelId + " has captions of several decodings, choose one with --decoding: "
                            + String.join(" | ", decodings));
        }
        return decodings.get(0);
    }
}
