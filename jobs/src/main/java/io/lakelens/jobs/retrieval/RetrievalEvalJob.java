package io.lakelens.jobs.retrieval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sha2;

import io.lakelens.eval.retrieval.RetrievalResult;
import io.lakelens.jobs.JobOptions;
import io.lakelens.jobs.LakelensException;
import io.lakelens.jobs.tables.MetricNames;
import io.lakelens.jobs.inference.ExecutorModels;
import io.lakelens.jobs.inference.ModelRef;
import io.lakelens.jobs.runs.JobRun;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.tables.LakelensTables;
import io.lakelens.models.clip.ClipEmbedder;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * {@code lakelens retrieval-eval}: image→text and text→image recall@1/5/10 of a CLIP model on a
 * dataset with several reference captions per image, as LAION's CLIP_benchmark defines them (see
 * {@code RetrievalRecall}): a text query hits when its own image is among the top K images; an image
 * query hits when at least one of its captions is among the top K texts.
 *
 * <p>Images: the dataset's images with an {@code image_embeddings} row of the model (run
 * {@code lakelens embed} first). Texts: the dataset's {@code reference_captions} of those images; a
 * caption's embedding is taken from {@code text_embeddings} (matched by SHA-256 of the text) or, when
 * it has none there, computed with the model in the executors (and not stored). Top-k runs blockwise
 * ({@link BlockwiseTopK}); the hit counts are summed by Spark. Stores an {@code eval_runs} row of kind
 * "retrieval" at the end.
 */
public final class RetrievalEvalJob {

    public static final int[] KS = {1, 5, 10};
    private static final int TEXT_BATCH = 64;

    /**
     * @param dataset dataset with images and reference captions
     * @param model CLIP folder or hf:// spec, as given to {@code lakelens embed}
     * @param device where executors compute missing text embeddings
     * @param blockSize queries per block of the top-k
     */
    public record Options(String dataset, String model, String device, int blockSize) {
        public Options {
            JobOptions.dataset(dataset);
            JobOptions.model(model);
            JobOptions.device(device);
            JobOptions.atLeastOne("--block-size", blockSize);
        }
    }

    public record Result(String runId, RetrievalResult recall, Map<String, Double> metrics) {}

    private final LakelensSession session;

    public RetrievalEvalJob(LakelensSession session) {
        this.session = session;
    }

    public Result run(Options o, PrintStream out) {
        ModelRef model = ModelRef.resolve(session.spark(), o.model());
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("dataset", o.dataset());
        parameters.put("model", o.model());
        parameters.put("block_size", Integer.toString(o.blockSize()));
        return JobRun.execute(session, "retrieval-eval", o.dataset(), model.modelId(), parameters, run -> {
            Result result = evaluate(o, model, parameters, run, out);
            run.items(result.recall().numTexts() + result.recall().numImages());
            return result;
        });
    }

    private Result evaluate(Options o, ModelRef model, Map<String, String> parameters, JobRun run, PrintStream out) {
        SparkSession spark = session.spark();
        String modelId = model.modelId();
        run.describe("embeddings");
        Dataset<Row> imageRows = spark.table(LakelensTables.IMAGES.qualifiedName())
                .where(col("dataset").equalTo(o.dataset())).select("image_id")
                .join(spark.table(LakelensTables.IMAGE_EMBEDDINGS.qualifiedName()).where(col("model_id").equalTo(modelId))
                        .select("image_id", "embedding"), "image_id");
        // Image index i = position in a stable order, kept with the image id for the captions' join.
        // zipWithIndex reads its input twice; persisted, a shuffle's row order cannot change in between.
        JavaRDD<Tuple2<String, float[]>> imageList = imageRows.javaRDD()
                .map(r -> new Tuple2<>(r.getString(0), floats(r.getList(1))))
                .persist(StorageLevel.MEMORY_AND_DISK());
        JavaPairRDD<Long, Tuple2<String, float[]>> images = imageList
                .zipWithIndex()
                .mapToPair(t -> new Tuple2<>(t._2(), t._1()))
                .persist(StorageLevel.MEMORY_AND_DISK());
        JavaRDD<Tuple2<Long, float[]>> textList = null;
        try {
            long numImages = images.count();
            if (numImages == 0) {
                throw new LakelensException("no image of dataset '" + o.dataset() + "' has an embedding of model "
                        + modelId + " (run `lakelens embed --dataset " + o.dataset() + "` first)");
            }
            Dataset<Row> imageIndex = spark.createDataFrame(
                    images.map(t -> RowFactory.create(t._2()._1(), t._1())),
                    new org.apache.spark.sql.types.StructType().add("image_id", "string").add("image_index", "long"));
            Dataset<Row> captions = spark.table(LakelensTables.REFERENCE_CAPTIONS.qualifiedName())
                    .where(col("dataset").equalTo(o.dataset())).select("image_id", "caption");
            long allCaptions = captions.count();
            Dataset<Row> stored = spark.table(LakelensTables.TEXT_EMBEDDINGS.qualifiedName())
                    .where(col("model_id").equalTo(modelId)).select(col("text_id"), col("embedding"));
            Dataset<Row> captionRows = captions.join(imageIndex, "image_id")
                    .withColumn("text_id", sha2(col("caption"), 256))
                    .join(stored, new String[] {"text_id"}, "left")
                    .select("image_index", "caption", "embedding");
            String device = o.device();
            textList = captionRows.javaRDD()
                    .mapPartitions(rows -> embedMissing(rows, model, device))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            JavaPairRDD<Tuple2<Long, float[]>, Long> indexedTexts = textList.zipWithIndex();
            indexedTexts.persist(StorageLevel.MEMORY_AND_DISK());
            JavaPairRDD<Long, float[]> texts = indexedTexts.mapToPair(t -> new Tuple2<>(t._2(), t._1()._2()));
            JavaPairRDD<Long, Long> textImage = indexedTexts.mapToPair(t -> new Tuple2<>(t._2(), t._1()._1()));
            long numTexts = indexedTexts.count();
            if (numTexts == 0) {
                throw new LakelensException("no reference caption of dataset '" + o.dataset()
                        + "' belongs to an image with an embedding of model " + modelId);
            }
            int maxK = KS[KS.length - 1];
            JavaPairRDD<Long, float[]> imageEmbeddings = images.mapToPair(t -> new Tuple2<>(t._1(), t._2()._2()));

            run.describe("text→image top-k");
            int kImages = (int) Math.min(maxK, numImages);
            Map<Integer, Long> textHits = hits(
                    BlockwiseTopK.topK(texts, imageEmbeddings, numTexts, kImages, o.blockSize())
                            .join(textImage)
                            .map(t -> rankOf(t._2()._1(), t._2()._2())), numImages);

            run.describe("image→text top-k");
            int kTexts = (int) Math.min(maxK, numTexts);
            JavaRDD<Integer> imageRanks = BlockwiseTopK.topK(imageEmbeddings, texts, numImages, kTexts, o.blockSize())
                    .flatMapToPair(t -> {
                        List<Tuple2<Long, Tuple2<Long, Integer>>> ranked = new ArrayList<>();
                        for (int rank = 0; rank < t._2().length; rank++) {
                            ranked.add(new Tuple2<>((long) t._2()[rank], new Tuple2<>(t._1(), rank)));
                        }
                        return ranked.iterator();
                    })
                    .join(textImage)
                    .filter(t -> t._2()._1()._1().equals(t._2()._2()))
                    .mapToPair(t -> new Tuple2<>(t._2()._1()._1(), t._2()._1()._2()))
                    .reduceByKey(Math::min)
                    .values();
            Map<Integer, Long> imageHits = hits(imageRanks, numTexts);

            RetrievalResult recall = new RetrievalResult(textHits, imageHits, Math.toIntExact(numTexts),
                    Math.toIntExact(numImages));
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (int k : KS) {
                metrics.put("image_to_text_R@" + k, recall.imageToTextRecall(k));
            }
            for (int k : KS) {
                metrics.put("text_to_image_R@" + k, recall.textToImageRecall(k));
            }
            metrics.put("num_images", (double) numImages);
            metrics.put("num_texts", (double) numTexts);
            metrics.put("texts_without_image_embedding", (double) (allCaptions - numTexts));
            run.count("images", numImages).count("texts", numTexts)
                    .count("texts_without_image_embedding", allCaptions - numTexts);

            run.describe("storing the run");
            run.record(new JobRun.Evaluation(MetricNames.RETRIEVAL, modelId, o.dataset(), parameters, metrics, null));
            out.printf("retrieval-eval: %s on %d images, %d captions%n", modelId, numImages, numTexts);
            metrics.forEach((name, value) -> out.println("  " + name + " " + value));
            out.flush();
            return new Result(run.runId(), recall, metrics);
        } finally {
            images.unpersist(false);
            imageList.unpersist(false);
            if (textList != null) {
                textList.unpersist(false);
            }
        }
    }

    /** Per K, how many queries have their first hit at a rank below K (ranks are 0-based, -1 = miss). */
    private static Map<Integer, Long> hits(JavaRDD<Integer> ranks, long numCandidates) {
        Map<Integer, Long> counts = new HashMap<>(ranks.filter(r -> r >= 0).countByValue());
        Map<Integer, Long> hits = new HashMap<>();
        for (int k : KS) {
            long clamped = Math.min(k, numCandidates);
            long total = 0;
            for (Map.Entry<Integer, Long> e : counts.entrySet()) {
                if (e.getKey() < clamped) {
                    total += e.getValue();
                }
            }
            hits.put(k, total);
        }
        return hits;
    }

    private static int rankOf(int[] top, long target) {
        for (int rank = 0; rank < top.length; rank++) {
            if (top[rank] == target) {
                return rank;
            }
        }
        return -1;
    }

    /** (image index, embedding) per caption; captions without a stored embedding are embedded here. */
    private static java.util.Iterator<Tuple2<Long, float[]>> embedMissing(java.util.Iterator<Row> rows, ModelRef model,
            String device) {
        List<Row> all = new ArrayList<>();
        rows.forEachRemaining(all::add);
        List<String> missing = new ArrayList<>();
        for (Row r : all) {
            if (r.isNullAt(2)) {
                missing.add(r.getString(1));
            }
        }
        float[][] computed = new float[missing.size()][];
        if (!missing.isEmpty()) {
            ClipEmbedder clip = ExecutorModels.clip(model, device);
            for (int from = 0; from < missing.size(); from += TEXT_BATCH) {
                float[][] batch = clip.embedTexts(missing.subList(from, Math.min(from + TEXT_BATCH, missing.size())));
                System.arraycopy(batch, 0, computed, from, batch.length);
            }
        }
        List<Tuple2<Long, float[]>> out = new ArrayList<>(all.size());
        int next = 0;
        for (Row r : all) {
            out.add(new Tuple2<>(r.getLong(0), r.isNullAt(2) ? computed[next++] : floats(r.getList(2))));
        }
        return out.iterator();
    }

    private static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
