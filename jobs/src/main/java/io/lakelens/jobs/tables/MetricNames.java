package io.lakelens.jobs.tables;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The contract of {@code eval_runs} between the jobs that write it and the dashboard (and anyone
 * querying it) that reads it: the kinds of evaluation run, the metrics each kind writes, which one
 * is its headline, and their display order.
 */
public final class MetricNames {

    /** {@code lakelens zeroshot}: accuracy of zero-shot classification. */
    public static final String ZEROSHOT = "zeroshot";
    /** {@code lakelens caption-eval}: COCO caption metrics, CLIPScore, caption statistics. */
    public static final String CAPTIONS = "captions";
    /** {@code lakelens retrieval-eval}: image-text recall@K. */
    public static final String RETRIEVAL = "retrieval";
    /** {@code lakelens finetune}: the training loss of a run. */
    public static final String FINETUNE = "finetune";
    /**
     * {@code lakelens finetune}: the validation split's metrics before training, after it and of the
     * WiSE-FT mix ({@code parameters.stage}): recall@1 both ways and zero-shot top-1 accuracy.
     */
    public static final String VALIDATION = "validation";

    /** Kinds in the order the index shows them. */
    public static final List<String> KINDS = List.of(ZEROSHOT, CAPTIONS, RETRIEVAL, FINETUNE, VALIDATION);

    /** Fine-tuning validation metrics (kind {@link #VALIDATION}). */
    public static final String VALIDATION_IMAGE_TO_TEXT_R1 = "image_to_text_R@1";
    public static final String VALIDATION_TEXT_TO_IMAGE_R1 = "text_to_image_R@1";
    public static final String VALIDATION_ZEROSHOT_TOP1 = "zeroshot_top1_accuracy";

    public static final String CIDER = "CIDEr";
    public static final String CLIPSCORE = "CLIPScore";
    public static final String REFCLIPSCORE = "RefCLIPScore";

    private static final Map<String, List<String>> KNOWN = Map.of(
            ZEROSHOT, List.of("top1_accuracy", "top5_accuracy", "balanced_accuracy", "num_images", "num_classes"),
            CAPTIONS, List.of(CIDER, CLIPSCORE, REFCLIPSCORE, "Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L",
                    "vocabulary_size", "distinct_1", "distinct_2", "mean_length", "copied_from_references", "num_images",
                    "images_without_references", "images_without_candidate", "images_without_image_embedding"),
            RETRIEVAL, List.of(
                    "image_to_text_R@1", "image_to_text_R@5", "image_to_text_R@10",
                    "text_to_image_R@1", "text_to_image_R@5", "text_to_image_R@10", "num_images", "num_texts",
                    "texts_without_image_embedding"),
            FINETUNE, List.of("loss_start", "loss_end"),
            VALIDATION, List.of(VALIDATION_IMAGE_TO_TEXT_R1, VALIDATION_TEXT_TO_IMAGE_R1, VALIDATION_ZEROSHOT_TOP1));

    private static final Map<String, String> HEADLINE = Map.of(
            ZEROSHOT, "top1_accuracy",
            CAPTIONS, CIDER,
            RETRIEVAL, "image_to_text_R@1",
            FINETUNE, "loss_end",
            VALIDATION, VALIDATION_IMAGE_TO_TEXT_R1);

    private MetricNames() {}

    /** The metric that stands for a run of this kind over time, or null for an unknown kind. */
    public static String headline(String kind) {
        return HEADLINE.get(kind);
    }

    /** The metrics in display order: the kind's known ones first, as listed above, then the rest by name. */
    public static Map<String, Double> ordered(String kind, Map<String, Double> metrics) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : KNOWN.getOrDefault(kind, List.of())) {
            if (metrics.containsKey(name)) {
                out.put(name, metrics.get(name));
            }
        }
        new TreeMap<>(metrics).forEach(out::putIfAbsent);
        return out;
    }
}
