package io.lakelens.jobs.dashboard;

import java.util.List;
import java.util.Map;

/**
 * One image of a caption evaluation run.
 *
 * @param candidate the caption that was scored ({@code caption_scores.candidate})
 * @param modelOutput the model's raw output from {@code generated_captions} when it differs from the
 *     candidate (e.g. with the prompt still in it), else null
 * @param references the dataset's human captions, possibly none
 * @param scores per-image metrics, in display order
 */
public record CaptionItem(
        ImageRef image, String candidate, String modelOutput, List<String> references, Map<String, Double> scores) {}
