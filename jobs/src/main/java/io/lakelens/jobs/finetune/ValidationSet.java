package io.lakelens.jobs.finetune;

import io.lakelens.eval.retrieval.RetrievalRecall;
import io.lakelens.eval.retrieval.RetrievalResult;
import io.lakelens.jobs.tables.MetricNames;
import io.lakelens.jobs.zeroshot.ClassList;
import io.lakelens.models.clip.ClipEmbedder;
import io.lakelens.models.clip.ZeroShotClassifier;
import io.lakelens.models.runtime.ComputeDevice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * The validation pairs, prepared in the executors like the training pairs ({@link PreparePairs})
 * and collected to the driver (the split is a small fraction of the data), and the before/after
 * metrics on them: image↔text recall@1 and, with classes, zero-shot top-1 accuracy by the library's
 * {@link ZeroShotClassifier} (the scorer of {@code lakelens zeroshot}, with the same templates).
 */
final class ValidationSet {

    /**
     * The classes and prompt templates of the zero-shot metric.
     *
     * @param classes labels as in {@code images.label}, and the names the prompts use
     * @param templates prompt templates with {@code {}}
     */
    record ZeroShot(ClassList classes, List<String> templates) {}

    private final List<String> imageIds = new ArrayList<>();
    private final List<String> imageLabels = new ArrayList<>();
    private final List<float[]> pixels = new ArrayList<>();
    private final List<String> captions = new ArrayList<>();
    private final List<Integer> captionImage = new ArrayList<>();

    private ValidationSet() {}

    /**
     * @param prepared prepared pairs ({@link PreparePairs}) that decoded, with columns image_id,
     *     caption, label and pixels, ordered by image id and caption
     */
    static ValidationSet of(List<Row> prepared) {
        ValidationSet v = new ValidationSet();
        Map<String, Integer> index = new HashMap<>();
        for (Row r : prepared) {
            String imageId = r.getAs("image_id");
            Integer at = index.get(imageId);
            if (at == null) {
                at = v.pixels.size();
                index.put(imageId, at);
                v.imageIds.add(imageId);
                v.imageLabels.add(r.getAs("label"));
                List<Float> p = r.getList(r.fieldIndex("pixels"));
                float[] values = new float[p.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = p.get(i);
                }
                v.pixels.add(values);
            }
            v.captions.add(r.getAs("caption"));
            v.captionImage.add(at);
        }
        return v;
    }

    /** Validation pairs. */
    long size() {
        return captions.size();
    }

    /**
     * Metrics of the model in {@code folder} on {@code device}; empty when there is no validation pair.
     *
     * @param zeroShot the zero-shot classes, or null for none
     */
    Map<String, Double> evaluate(Path folder, ComputeDevice device, ZeroShot zeroShot) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (pixels.isEmpty()) {
            return out;
        }
        try (ClipEmbedder model = ClipEmbedder.load(folder, device)) {
            float[][] images = embedImages(model);
            float[][] texts = model.embedTexts(captions);
            RetrievalResult r = RetrievalRecall.compute(images, texts,
                    captionImage.stream().mapToInt(Integer::intValue).toArray(), 1);
            out.put(MetricNames.VALIDATION_IMAGE_TO_TEXT_R1, r.imageToTextRecall(1));
            out.put(MetricNames.VALIDATION_TEXT_TO_IMAGE_R1, r.textToImageRecall(1));
            if (zeroShot != null) {
                ZeroShotClassifier classifier = classifier(model, zeroShot);
                Double accuracy = top1Accuracy(classifier, images);
                if (accuracy != null) {
                    out.put(MetricNames.VALIDATION_ZEROSHOT_TOP1, accuracy);
                }
            }
        }
        return out;
    }

    /** The scorer of the zero-shot metric: the library's, with the job's classes and templates. */
    static ZeroShotClassifier classifier(ClipEmbedder model, ZeroShot zeroShot) {
        return ZeroShotClassifier.create(model, zeroShot.classes().labels(), zeroShot.classes().promptNames(),
                zeroShot.templates());
    }

    /** The validation images' top-k, in {@link #imageIds()} order, as the zero-shot metric scores them. */
    List<List<ZeroShotClassifier.Prediction>> predictions(ClipEmbedder model, ZeroShotClassifier classifier, int topK) {
        return classifier.classify(embedImages(model), topK);
    }

    /** The validation images, in first-seen order. */
    List<String> imageIds() {
        return imageIds;
    }

    private float[][] embedImages(ClipEmbedder model) {
        int per = pixels.get(0).length;
        float[] all = new float[pixels.size() * per];
        for (int i = 0; i < pixels.size(); i++) {
            System.arraycopy(pixels.get(i), 0, all, i * per, per);
        }
        return model.embedImages(all, pixels.size());
    }

    /** Top-1 accuracy over the images labelled with one of the classes (as the zeroshot job counts), or null. */
    private Double top1Accuracy(ZeroShotClassifier classifier, float[][] images) {
        List<List<ZeroShotClassifier.Prediction>> top = classifier.classify(images, 1);
        int correct = 0;
        int evaluated = 0;
        for (int i = 0; i < images.length; i++) {
            String label = imageLabels.get(i);
            if (label == null || !classifier.labels().contains(label)) {
                continue;
            }
            evaluated++;
            correct += top.get(i).get(0).label().equals(label) ? 1 : 0;
        }
        return evaluated == 0 ? null : (double) correct / evaluated;
    }
}
