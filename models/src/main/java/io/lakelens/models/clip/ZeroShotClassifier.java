package io.lakelens.models.clip;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Zero-shot image classification with class embeddings built from prompt templates, exactly as
 * CLIP's ImageNet notebook ({@code zeroshot_classifier}): for each class, embed every template
 * filled with the class name, L2-normalise each, average, and normalise the mean again. An image's
 * class probabilities are {@code softmax(exp(logit_scale) * cos(image, class))} over all classes.
 *
 * <p>The one scorer of lakelens: {@code lakelens zeroshot} broadcasts an instance to the executors,
 * {@code lakelens model zeroshot} and fine-tuning's validation call it directly, so the same
 * embeddings give the same probabilities, top-k and tie order everywhere. Logits and the softmax are
 * computed in double. Immutable once built, so it may be shared between threads; serializable (a
 * plain class, as Spark's Kryo cannot build records).
 */
public final class ZeroShotClassifier implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The single template CLIP's README uses. */
    public static final String DEFAULT_TEMPLATE = "a photo of a {}.";

    private static final String IMAGENET80_RESOURCE = "imagenet80_templates.txt";

    /** How far from 1 an embedding's norm may be to be used as it is (see {@link #classify}). */
    private static final double UNIT_NORM_TOLERANCE = 1e-4;

    /**
     * One class of an image's top k.
     *
     * @param label the class
     * @param probability softmax over all classes
     */
    public record Prediction(String label, double probability) {}

    private final String[] labels;
    private final float[][] classEmbeddings;
    private final double logitScaleExp;

    private ZeroShotClassifier(String[] labels, float[][] classEmbeddings, double logitScaleExp) {
        this.labels = labels;
        this.classEmbeddings = classEmbeddings;
        this.logitScaleExp = logitScaleExp;
    }

    /**
     * Embeds the classes; each is named in its prompts as it is labelled.
     *
     * @param clip the CLIP model (with its tokenizer)
     * @param classNames at least one name; duplicates are allowed but pointless
     * @param templates at least one template, each containing {@code {}} where the name goes
     */
    public static ZeroShotClassifier create(ClipEmbedder clip, List<String> classNames, List<String> templates) {
        return create(clip, classNames, classNames, templates);
    }

    /**
     * Embeds the classes, each labelled one way and named another way in its prompts (the label
     * {@code traffic-light} as "traffic light").
     *
     * @param labels what predictions report, one per class
     * @param promptNames what fills the templates' {@code {}}, one per class
     */
    public static ZeroShotClassifier create(ClipEmbedder clip, List<String> labels, List<String> promptNames,
            List<String> templates) {
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("no class names");
        }
        if (labels.size() != promptNames.size()) {
            throw new IllegalArgumentException(labels.size() + " labels but " + promptNames.size() + " prompt names");
        }
        if (templates.isEmpty()) {
            throw new IllegalArgumentException("no prompt templates");
        }
        for (String t : templates) {
            if (!t.contains("{}")) {
                throw new IllegalArgumentException("template has no {} placeholder: '" + t + "'");
            }
        }
        float[][] embeddings = new float[promptNames.size()][];
        for (int c = 0; c < promptNames.size(); c++) {
            List<String> prompts = new ArrayList<>(templates.size());
            for (String t : templates) {
                prompts.add(t.replace("{}", promptNames.get(c)));
            }
            embeddings[c] = ensemble(clip.embedTexts(prompts));
        }
        return new ZeroShotClassifier(labels.toArray(new String[0]), embeddings, clip.logitScaleExp());
    }

    /** Mean of unit vectors, normalised again (accumulated in double). */
    static float[] ensemble(float[][] unitRows) {
        double[] mean = new double[unitRows[0].length];
        for (float[] row : unitRows) {
            for (int k = 0; k < mean.length; k++) {
                mean[k] += row[k];
            }
        }
        double norm = 0;
        for (double v : mean) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        float[] out = new float[mean.length];
        for (int k = 0; k < mean.length; k++) {
            out[k] = (float) (mean[k] / norm);
        }
        return out;
    }

    /**
     * The k most probable classes of each image, most probable first (ties: earlier class first).
     *
     * @param imageEmbeddings {@code [N][projection_dim]}, e.g. from {@link ClipEmbedder#embedImages}
     *     or {@code image_embeddings.embedding}
     * @param topK at least 1; more than the number of classes gives all of them
     * @return N lists of {@code min(topK, classes)} predictions
     */
    public List<List<Prediction>> classify(float[][] imageEmbeddings, int topK) {
        List<List<Prediction>> out = new ArrayList<>(imageEmbeddings.length);
        for (int i = 0; i < imageEmbeddings.length; i++) {
            out.add(classify(imageEmbeddings[i], topK, "image " + i));
        }
        return out;
    }

    /**
     * The k most probable classes of one image. An embedding of unit length (every lakelens
     * embedding) is used as it is, so stored and freshly computed embeddings score to the bit alike;
     * another is normalised first.
     */
    public List<Prediction> classify(float[] imageEmbedding, int topK) {
        return classify(imageEmbedding, topK, "image");
    }

    private List<Prediction> classify(float[] image, int topK, String what) {
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be at least 1, is " + topK);
        }
        if (image.length != classEmbeddings[0].length) {
            throw new IllegalArgumentException(what + " embedding has " + image.length
                    + " values, the class embeddings " + classEmbeddings[0].length);
        }
        double squares = 0;
        for (float v : image) {
            squares += (double) v * v;
        }
        double norm = Math.sqrt(squares);
        double scale = Math.abs(norm - 1) <= UNIT_NORM_TOLERANCE ? logitScaleExp : logitScaleExp / norm;
        double[] probs = new double[labels.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < labels.length; c++) {
            float[] w = classEmbeddings[c];
            double dot = 0;
            for (int d = 0; d < w.length; d++) {
                dot += (double) w[d] * image[d];
            }
            probs[c] = scale * dot;
            max = Math.max(max, probs[c]);
        }
        double sum = 0;
        for (int c = 0; c < probs.length; c++) {
            probs[c] = Math.exp(probs[c] - max);
            sum += probs[c];
        }
        int k = Math.min(topK, labels.length);
        List<Prediction> top = new ArrayList<>(k);
        boolean[] taken = new boolean[labels.length];
        for (int r = 0; r < k; r++) {
            int best = -1;
            for (int c = 0; c < probs.length; c++) {
                if (!taken[c] && (best < 0 || probs[c] > probs[best])) {
                    best = c;
                }
            }
            taken[best] = true;
            top.add(new Prediction(labels[best], probs[best] / sum));
        }
        return List.copyOf(top);
    }

    /** Softmax in double, with the maximum subtracted first. */
    static float[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            e[i] = Math.exp(logits[i] - max);
            sum += e[i];
        }
        float[] out = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = (float) (e[i] / sum);
        }
        return out;
    }

    public List<String> labels() {
        return List.of(labels);
    }

    /** {@code exp(logit_scale)} of the model the classes were embedded with. */
    public double logitScaleExp() {
        return logitScaleExp;
    }

    /** The unit class embeddings, one row per label (a copy). */
    public float[][] classEmbeddings() {
        float[][] copy = new float[classEmbeddings.length][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = classEmbeddings[i].clone();
        }
        return copy;
    }

    /** The 80 ImageNet prompt templates of the CLIP paper, in the notebook's order. */
    public static List<String> imagenet80Templates() {
        List<String> templates = new ArrayList<>(80);
        try (InputStream in = ZeroShotClassifier.class.getResourceAsStream(IMAGENET80_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + IMAGENET80_RESOURCE + " is missing from the jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isEmpty()) {
                    templates.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(templates);
    }
}
