package io.lakelens.models.clip;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Zero-shot image classification with class embeddings built from prompt templates, exactly as
 * CLIP's ImageNet notebook ({@code zeroshot_classifier}): for each class, embed every template
 * filled with the class name, L2-normalise each, average, and normalise the mean again. An image's
 * class probabilities are {@code softmax(exp(logit_scale) * cos(image, class))} over all classes.
 *
 * <p>Immutable once built, so it may be shared between threads.
 */
public final class ZeroShotClassifier {

    /** The single template CLIP's README uses. */
    public static final String DEFAULT_TEMPLATE = "a photo of a {}.";

    private static final String IMAGENET80_RESOURCE = "imagenet80_templates.txt";

    /**
     * One class of an image's top k.
     *
     * @param label the class name
     * @param probability softmax over all classes
     */
    public record Prediction(String label, float probability) {}

    private final List<String> labels;
    private final float[][] classEmbeddings;
    private final float logitScaleExp;

    private ZeroShotClassifier(List<String> labels, float[][] classEmbeddings, float logitScaleExp) {
        this.labels = labels;
        this.classEmbeddings = classEmbeddings;
        this.logitScaleExp = logitScaleExp;
    }

    /**
     * Embeds the classes.
     *
     * @param model the CLIP model (with its tokenizer)
     * @param classNames at least one name; duplicates are allowed but pointless
     * @param templates at least one template, each containing {@code {}} where the name goes
     */
    public static ZeroShotClassifier create(ClipModel model, List<String> classNames, List<String> templates) {
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("no class names");
        }
        if (templates.isEmpty()) {
            throw new IllegalArgumentException("no prompt templates");
        }
        for (String t : templates) {
            if (!t.contains("{}")) {
                throw new IllegalArgumentException("template has no {} placeholder: '" + t + "'");
            }
        }
        float[][] embeddings = new float[classNames.size()][];
        for (int c = 0; c < classNames.size(); c++) {
            List<String> prompts = new ArrayList<>(templates.size());
            for (String t : templates) {
                prompts.add(t.replace("{}", classNames.get(c)));
            }
            embeddings[c] = ensemble(model.embedTexts(prompts));
        }
        return new ZeroShotClassifier(List.copyOf(classNames), embeddings, model.logitScaleExp());
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
     * @param imageEmbeddings {@code [N][projection_dim]}, e.g. from {@link ClipModel#embedImages}
     *     (re-normalised here, so unnormalised rows work too)
     * @param topK at least 1; more than the number of classes gives all of them
     * @return N lists of {@code min(topK, classes)} predictions
     */
    public List<List<Prediction>> classify(float[][] imageEmbeddings, int topK) {
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be at least 1, is " + topK);
        }
        int k = Math.min(topK, labels.size());
        float[][] images = ClipModel.normalizeRows(imageEmbeddings);
        List<List<Prediction>> out = new ArrayList<>(images.length);
        for (int i = 0; i < images.length; i++) {
            if (images[i].length != classEmbeddings[0].length) {
                throw new IllegalArgumentException("image " + i + " embedding has " + images[i].length
                        + " values, the class embeddings " + classEmbeddings[0].length);
            }
            float[] logits = new float[labels.size()];
            for (int c = 0; c < logits.length; c++) {
                double dot = 0;
                for (int d = 0; d < images[i].length; d++) {
                    dot += (double) images[i][d] * classEmbeddings[c][d];
                }
                logits[c] = (float) (logitScaleExp * dot);
            }
            float[] probs = softmax(logits);
            List<Integer> order = new ArrayList<>(labels.size());
            for (int c = 0; c < probs.length; c++) {
                order.add(c);
            }
            order.sort(Comparator.<Integer>comparingDouble(c -> -probs[c]).thenComparingInt(c -> c));
            List<Prediction> top = new ArrayList<>(k);
            for (int r = 0; r < k; r++) {
                top.add(new Prediction(labels.get(order.get(r)), probs[order.get(r)]));
            }
            out.add(List.copyOf(top));
        }
        return out;
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
        return labels;
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
