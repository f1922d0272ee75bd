package io.lakelens.jobs.tables;

import static org.apache.spark.sql.types.DataTypes.BinaryType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.FloatType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Every lakelens table, its schema and its comments: the one place where a table's shape is decided.
 * {@code DESCRIBE lakelens.<table>} shows these comments to anyone querying the warehouse.
 */
public final class LakelensTables {

    private static final Map<String, TableSpec> ALL = new LinkedHashMap<>();

    public static final TableSpec IMAGES = register(new TableSpec(
            "images",
            "One row per distinct image of a dataset, written by `lakelens ingest`.",
            schema(
                    col("image_id", StringType, false, "SHA-256 of the image bytes, hex; identical files share it"),
                    col("dataset", StringType, false, "Dataset name given to `lakelens ingest --dataset`"),
                    col("uri", StringType, false, "Where the image was read from (first path seen for these bytes)"),
                    col("width", IntegerType, false, "Width in pixels, from the file header"),
                    col("height", IntegerType, false, "Height in pixels, from the file header"),
                    col("format", StringType, false, "Encoding: png, jpeg, gif, bmp, webp or tiff"),
                    col("color_mode", StringType, false, "Colour mode in Pillow terms: RGB, RGBA, L, LA, P, CMYK, I;16 ..."),
                    col("byte_size", LongType, false, "Size of the encoded file in bytes"),
                    col("label", StringType, true, "Class label (folder name or manifest column), NULL if none"),
                    col("split", StringType, true, "Split from the manifest (train, val, test ...), NULL if none"),
                    col("content", BinaryType, true, "The encoded image bytes; NULL when ingested with --reference-only"),
                    col("ingested_at", TimestampType, false, "When this row was first written")),
            List.of("dataset"),
            List.of("dataset", "image_id")));

    public static final TableSpec REFERENCE_CAPTIONS = register(new TableSpec(
            "reference_captions",
            "Human reference captions of images, written by `lakelens ingest --captions`.",
            schema(
                    col("image_id", StringType, false, "The image (images.image_id)"),
                    col("dataset", StringType, false, "Dataset the caption was ingested with"),
                    col("caption", StringType, false, "The caption text as given"),
                    col("source", StringType, false, "Where the caption came from, e.g. the manifest path"),
                    col("ingested_at", TimestampType, false, "When this row was first written")),
            List.of(),
            List.of("dataset", "image_id", "caption")));

    public static final TableSpec QUARANTINE = register(new TableSpec(
            "quarantine",
            "Inputs a job could not process, with the reason; nothing is silently dropped.",
            schema(
                    col("job", StringType, false, "Job that quarantined the input: ingest, embed, caption ..."),
                    col("stage", StringType, false, "Step that failed: read, decode, preprocess, model ..."),
                    col("dataset", StringType, true, "Dataset, when known"),
                    col("uri", StringType, true, "Source path of the input, when known"),
                    col("image_id", StringType, true, "Image id, when the bytes could be read"),
                    col("model_id", StringType, true, "Model the job ran, for model jobs"),
                    col("reason_code", StringType, false, "Machine-readable reason: EMPTY, NOT_AN_IMAGE, TRUNCATED, TOO_LARGE, CORRUPT, UNSUPPORTED, READ_ERROR, MODEL_ERROR"),
                    col("reason", StringType, false, "Human-readable reason"),
                    col("run_id", StringType, false, "The job run that last saw this input fail (job_runs.run_id)"),
                    col("quarantined_at", TimestampType, false, "When the input was last quarantined")),
            List.of(),
            List.of("job", "stage", "dataset", "uri", "image_id", "model_id")));

    public static final TableSpec JOB_RUNS = register(new TableSpec(
            "job_runs",
            "One row per run of a lakelens job: parameters, counts and speed.",
            schema(
                    col("run_id", StringType, false, "Unique id of the run"),
                    col("job", StringType, false, "Job name: ingest, embed, caption, zeroshot ..."),
                    col("dataset", StringType, true, "Dataset the job ran on"),
                    col("model_id", StringType, true, "Model the job used, if any"),
                    col("parameters", DataTypes.createMapType(StringType, StringType), false, "Job options as given"),
                    col("counts", DataTypes.createMapType(StringType, LongType), false, "Row counts, e.g. input, written, already_done, quarantined"),
                    col("status", StringType, false, "running, succeeded or failed"),
                    col("error", StringType, true, "Failure message for failed runs"),
                    col("started_at", TimestampType, false, "Start time"),
                    col("finished_at", TimestampType, true, "End time, NULL while running"),
                    col("duration_s", DoubleType, true, "Wall-clock seconds"),
                    col("items_per_s", DoubleType, true, "Items processed per second over the run")),
            List.of(),
            List.of("run_id")));

    public static final TableSpec IMAGE_EMBEDDINGS = register(new TableSpec(
            "image_embeddings",
            "CLIP image embeddings, one row per image and model, written by `lakelens embed`.",
            schema(
                    col("image_id", StringType, false, "The image (images.image_id)"),
                    col("model_id", StringType, false, "The model that computed it (stable id of checkpoint and revision)"),
                    col("embedding", DataTypes.createArrayType(FloatType, false), false, "L2-normalised image embedding"),
                    col("dim", IntegerType, false, "Length of embedding"),
                    col("created_at", TimestampType, false, "When it was computed")),
            List.of("model_id"),
            List.of("model_id", "image_id")));

    public static final TableSpec TEXT_EMBEDDINGS = register(new TableSpec(
            "text_embeddings",
            "CLIP text embeddings, one row per distinct text and model, written by `lakelens embed-text`.",
            schema(
                    col("text_id", StringType, false, "SHA-256 of the UTF-8 text, hex"),
                    col("text", StringType, false, "The text"),
                    col("model_id", StringType, false, "The model that computed it"),
                    col("embedding", DataTypes.createArrayType(FloatType, false), false, "L2-normalised text embedding"),
                    col("dim", IntegerType, false, "Length of embedding"),
                    col("source", StringType, true, "Where the text came from (file or table)"),
                    col("created_at", TimestampType, false, "When it was computed")),
            List.of("model_id"),
            List.of("model_id", "text_id")));

    public static final TableSpec GENERATED_CAPTIONS = register(new TableSpec(
            "generated_captions",
            "Captions generated by a BLIP model, one row per image, model and decoding options.",
            schema(
                    col("image_id", StringType, false, "The image (images.image_id)"),
                    col("model_id", StringType, false, "The captioning model"),
                    col("decoding", StringType, false, "Decoding options, canonical string (e.g. greedy,max_new_tokens=20)"),
                    col("caption", StringType, false, "The generated caption (prompt included, as the model's decode gives it)"),
                    col("token_count", IntegerType, false, "Number of new tokens generated"),
                    col("token_ids", DataTypes.createArrayType(IntegerType, false), true, "Full generated id sequence"),
                    col("score", DoubleType, true, "Beam search sequence score; NULL for greedy and sampling"),
                    col("created_at", TimestampType, false, "When it was generated")),
            List.of("model_id"),
            List.of("model_id", "decoding", "image_id")));

    public static final TableSpec EVAL_RUNS = register(new TableSpec(
            "eval_runs",
            "Evaluation runs (zero-shot, captions, retrieval, fine-tuning) with their headline metrics.",
            schema(
                    col("run_id", StringType, false, "Unique id of the evaluation run"),
                    col("kind", StringType, false, "zeroshot, captions, retrieval or finetune"),
                    col("model_id", StringType, false, "Model evaluated"),
                    col("dataset", StringType, false, "Dataset evaluated on"),
                    col("parameters", DataTypes.createMapType(StringType, StringType), false, "Options of the run"),
                    col("metrics", DataTypes.createMapType(StringType, DoubleType), false, "Metric name to value, e.g. top1_accuracy"),
                    col("report_path", StringType, true, "Folder with report.json and report.md"),
                    col("started_at", TimestampType, false, "Start time"),
                    col("finished_at", TimestampType, false, "End time")),
            List.of(),
            List.of("run_id")));

    public static final TableSpec EVAL_PER_CLASS = register(new TableSpec(
            "eval_per_class",
            "Per-class results of zero-shot evaluation runs.",
            schema(
                    col("run_id", StringType, false, "The run (eval_runs.run_id)"),
                    col("label", StringType, false, "Class label"),
                    col("support", LongType, false, "Images whose true label is this class"),
                    col("precision", DoubleType, true, "Top-1 precision; NULL when the class was never predicted"),
                    col("recall", DoubleType, true, "Top-1 recall; NULL when the class has no images"),
                    col("f1", DoubleType, true, "Harmonic mean of precision and recall"),
                    col("top5_recall", DoubleType, true, "Share of the class's images with the label among the top 5")),
            List.of(),
            List.of("run_id", "label")));

    public static final TableSpec EVAL_CONFUSION = register(new TableSpec(
            "eval_confusion",
            "Confusion matrix of zero-shot runs: how many images of a true label got each top-1 prediction.",
            schema(
                    col("run_id", StringType, false, "The run (eval_runs.run_id)"),
                    col("true_label", StringType, false, "Ground-truth label"),
                    col("predicted_label", StringType, false, "Top-1 predicted label"),
                    col("count", LongType, false, "Number of images")),
            List.of(),
            List.of("run_id", "true_label", "predicted_label")));

    public static final TableSpec EVAL_PREDICTIONS = register(new TableSpec(
            "eval_predictions",
            "Per-image predictions of zero-shot runs, for error analysis and example images.",
            schema(
                    col("run_id", StringType, false, "The run (eval_runs.run_id)"),
                    col("image_id", StringType, false, "The image"),
                    col("true_label", StringType, false, "Ground-truth label"),
                    col("predicted_label", StringType, false, "Top-1 predicted label"),
                    col("top_labels", DataTypes.createArrayType(StringType, false), false, "Top-k labels, best first"),
                    col("top_probs", DataTypes.createArrayType(DoubleType, false), false, "Their softmax probabilities")),
            List.of(),
            List.of("run_id", "image_id")));

    public static final TableSpec CAPTION_SCORES = register(new TableSpec(
            "caption_scores",
            "Per-image caption quality scores of caption evaluation runs.",
            schema(
                    col("run_id", StringType, false, "The run (eval_runs.run_id)"),
                    col("image_id", StringType, false, "The image"),
                    col("candidate", StringType, false, "The evaluated caption"),
                    col("scores", DataTypes.createMapType(StringType, DoubleType), false, "Metric to value: Bleu_1..4, ROUGE_L, CIDEr, CLIPScore ...")),
            List.of(),
            List.of("run_id", "image_id")));

    public static final TableSpec TRAINING_RUNS = register(new TableSpec(
            "training_runs",
            "Fine-tuning runs: parameters, status and the best checkpoint.",
            schema(
                    col("run_id", StringType, false, "Unique id of the training run"),
                    col("model_id", StringType, false, "Starting model"),
                    col("dataset", StringType, false, "Training dataset"),
                    col("output_dir", StringType, false, "Checkpoint folder"),
                    col("parameters", DataTypes.createMapType(StringType, StringType), false, "Training options"),
                    col("status", StringType, false, "running, succeeded or failed"),
                    col("best_checkpoint", StringType, true, "Path of the best checkpoint"),
                    col("started_at", TimestampType, false, "Start time"),
                    col("finished_at", TimestampType, true, "End time")),
            List.of(),
            List.of("run_id")));

    public static final TableSpec TRAINING_STEPS = register(new TableSpec(
            "training_steps",
            "Per-step training metrics of fine-tuning runs.",
            schema(
                    col("run_id", StringType, false, "The run (training_runs.run_id)"),
                    col("step", LongType, false, "Optimizer step"),
                    col("epoch", IntegerType, false, "Epoch"),
                    col("loss", DoubleType, false, "Contrastive loss of the step's batch"),
                    col("lr", DoubleType, false, "Learning rate used"),
                    col("logit_scale", DoubleType, false, "exp(logit_scale) after the step"),
                    col("images_per_s", DoubleType, true, "Training throughput of the step"),
                    col("logged_at", TimestampType, false, "When the step finished")),
            List.of(),
            List.of("run_id", "step")));

    private LakelensTables() {}

    private static TableSpec register(TableSpec spec) {
        ALL.put(spec.name(), spec);
        return spec;
    }

    /** Every table, in a stable order. */
    public static List<TableSpec> all() {
        return Collections.unmodifiableList(new ArrayList<>(ALL.values()));
    }

    /** The table called {@code name}, or null. */
    public static TableSpec byName(String name) {
        return ALL.get(name);
    }

    static StructField col(String name, DataType type, boolean nullable, String comment) {
        Metadata md = new MetadataBuilder().putString("comment", comment).build();
        return new StructField(name, type, nullable, md);
    }

    static StructType schema(StructField... fields) {
        return new StructType(Arrays.copyOf(fields, fields.length));
    }
}
