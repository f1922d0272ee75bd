package io.lakelens.jobs.finetune;

import io.lakelens.eval.retrieval.RetrievalRecall;
import io.lakelens.eval.retrieval.RetrievalResult;
import io.lakelens.jobs.inference.ImageSource;
import io.lakelens.jobs.inference.ModelRef;
import io.lakelens.jobs.spark.HadoopConf;
import io.lakelens.models.clip.ClipModel;
import io.lakelens.models.image.ImagePreprocessor;
import io.lakelens.models.runtime.ComputeDevice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The validation pairs, decoded on the driver (the split is a small fraction of the data), and the
 * before/after metrics on them: image↔text recall@1 and, with labels, zero-shot top-1 accuracy.
 */
final class ValidationSet {

    private final List<String> imageIds = new ArrayList<>();
    private final List<String> imageLabels = new ArrayList<>();
    private final List<float[]> pixels = new ArrayList<>();
    private final List<String> captions = new ArrayList<>();
    private final List<Integer> captionImage = new ArrayList<>();

    static ValidationSet collect(Dataset<Row> rows, ModelRef model, HadoopConf hadoopConf) {
        ValidationSet v = new ValidationSet();
        ImagePreprocessor preprocessor = ImagePreprocessor.fromConfig(model.driverFolder().resolve("preprocessor_config.json"));
        int per = io.lakelens.models.clip.ClipConfig.of(io.lakelens.models.checkpoint.CheckpointFolder.open(
                model.driverFolder())).vision().pixelsPerImage();
        Map<String, Integer> index = new LinkedHashMap<>();
        for (Row r : rows.select("image_id", "uri", "content", "label", "caption").orderBy("image_id", "caption").collectAsList()) {
            Integer at = index.get(r.getString(0));
            if (at == null) {
                try {
                    byte[] bytes = ImageSource.bytes((byte[]) r.get(2), r.getString(1), hadoopConf);
                    float[] p = new float[per];
                    preprocessor.preprocessInto(bytes, p, 0);
                    at = v.imageIds.size();
                    index.put(r.getString(0), at);
                    v.imageIds.add(r.getString(0));
                    v.imageLabels.add(r.getString(3));
                    v.pixels.add(p);
                } catch (Exception e) {
                    continue;
                }
            }
            v.captions.add(r.getString(4));
            v.captionImage.add(at);
        }
        return v;
    }

    long size() {
        return captions.size();
    }

    /** Metrics of the model in {@code folder}; empty when there is no validation pair. */
    Map<String, Double> evaluate(Path folder, List<String> labels) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (imageIds.isEmpty()) {
            return out;
        }
        try (ClipModel model = ClipModel.load(folder, ComputeDevice.parse("cpu", "float32"))) {
            int per = pixels.get(0).length;
            float[] all = new float[imageIds.size() * per];
            for (int i = 0; i < imageIds.size(); i++) {
                System.arraycopy(pixels.get(i), 0, all, i * per, per);
            }
            float[][] images = model.embedImages(all, imageIds.size());
            float[][] texts = model.embedTexts(captions);
            RetrievalResult r = RetrievalRecall.compute(images, texts,
                    captionImage.stream().mapToInt(Integer::intValue).toArray(), 1);
            out.put("image_to_text_R@1", r.imageToTextRecall(1));
            out.put("text_to_image_R@1", r.textToImageRecall(1));
            if (!labels.isEmpty()) {
                List<String> prompts = labels.stream().map(l -> "a photo of a " + l + ".").toList();
                float[][] classes = model.embedTexts(prompts);
                int correct = 0;
                int labelled = 0;
                for (int i = 0; i < images.length; i++) {
                    if (imageLabels.get(i) == null) {
                        continue;
                    }
                    labelled++;
                    int best = 0;
                    double bestScore = Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < classes.length; c++) {
                        double s = RetrievalRecall.dot(images[i], classes[c]);
                        if (s > bestScore) {
                            bestScore = s;
                            best = c;
                        }
                    }
                    correct += labels.get(best).equals(imageLabels.get(i)) ? 1 : 0;
                }
                if (labelled > 0) {
                    out.put("zeroshot_top1_accuracy", (double) correct / labelled);
                }
            }
        }
        return out;
    }
}
