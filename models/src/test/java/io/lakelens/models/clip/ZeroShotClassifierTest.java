package io.lakelens.models.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.models.runtime.ComputeDevice;
import io.lakelens.models.runtime.TorchRuntime;
import io.lakelens.models.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ZeroShotClassifierTest {

    private static final List<String> CLASSES = List.of("cat", "dog", "red circle", "black square");
    private static ClipEmbedder model;
    private static float[][] images;

    @BeforeAll
    static void load() {
        TorchRuntime.start(1);
        model = ClipEmbedder.load(Fixtures.clipTiny(), ComputeDevice.cpu());
        List<String> names = ClipGolden.imageNames();
        int per = model.config().vision().pixelsPerImage();
        float[] pixels = new float[names.size() * per];
        for (int i = 0; i < names.size(); i++) {
            System.arraycopy(ClipGolden.pixelValues(names.get(i)), 0, pixels, i * per, per);
        }
        images = model.embedImages(pixels, names.size());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void imagenet80TemplatesAreThePapers() {
        List<String> templates = ZeroShotClassifier.imagenet80Templates();
        assertEquals(80, templates.size());
        assertEquals(80, templates.stream().distinct().count());
        assertTrue(templates.stream().allMatch(t -> t.contains("{}")));
        assertEquals("a bad photo of a {}.", templates.get(0));
        assertEquals("a tattoo of the {}.", templates.get(79));
        assertTrue(templates.contains(ZeroShotClassifier.DEFAULT_TEMPLATE));
    }

    @Test
    void classEmbeddingsEnsembleNormalisedTemplateEmbeddings() {
        List<String> templates = ZeroShotClassifier.imagenet80Templates().subList(0, 5);
        ZeroShotClassifier classifier = ZeroShotClassifier.create(model, CLASSES, templates);
        float[][] classes = classifier.classEmbeddings();
        for (int c = 0; c < CLASSES.size(); c++) {
            String name = CLASSES.get(c);
            float[][] prompts = model.embedTexts(templates.stream().map(t -> t.replace("{}", name)).toList());
            // The notebook: mean of unit vectors, normalised again.
            double[] mean = new double[prompts[0].length];
            for (float[] p : prompts) {
                for (int k = 0; k < mean.length; k++) {
                    mean[k] += p[k] / prompts.length;
                }
            }
            double norm = Math.sqrt(java.util.Arrays.stream(mean).map(v -> v * v).sum());
            float[] expected = new float[mean.length];
            for (int k = 0; k < mean.length; k++) {
                expected[k] = (float) (mean[k] / norm);
            }
            ClipGolden.assertClose(expected, classes[c], 1e-6, "class " + name);
        }
    }

    @Test
    void probabilitiesAreTheSoftmaxOfScaledCosines() {
        ZeroShotClassifier classifier =
                ZeroShotClassifier.create(model, CLASSES, List.of(ZeroShotClassifier.DEFAULT_TEMPLATE));
        float[][] prompts = model.embedTexts(CLASSES.stream().map(c -> "a photo of a " + c + ".").toList());
        float[][] logits = model.similarity(images, prompts);
        List<List<ZeroShotClassifier.Prediction>> all = classifier.classify(images, 10);
        assertEquals(images.length, all.size());
        for (int i = 0; i < images.length; i++) {
            float[] expected = ZeroShotClassifier.softmax(logits[i]);
            List<ZeroShotClassifier.Prediction> top = all.get(i);
            assertEquals(CLASSES.size(), top.size(), "topK above the class count gives every class");
            double sum = 0;
            for (int r = 0; r < top.size(); r++) {
                ZeroShotClassifier.Prediction p = top.get(r);
                assertEquals(expected[CLASSES.indexOf(p.label())], p.probability(), 1e-6);
                if (r > 0) {
                    assertTrue(top.get(r - 1).probability() >= p.probability());
                }
                sum += p.probability();
            }
            assertEquals(1.0, sum, 1e-5);
        }
        List<List<ZeroShotClassifier.Prediction>> top1 = classifier.classify(images, 1);
        for (int i = 0; i < images.length; i++) {
            assertEquals(all.get(i).get(0), top1.get(i).get(0));
        }
    }

    @Test
    void badArguments() {
        assertThrows(IllegalArgumentException.class, () -> ZeroShotClassifier.create(model, List.of(), List.of("{}")));
        assertThrows(IllegalArgumentException.class, () -> ZeroShotClassifier.create(model, CLASSES, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> ZeroShotClassifier.create(model, CLASSES, List.of("a photo of a cat")));
        ZeroShotClassifier c = ZeroShotClassifier.create(model, CLASSES, List.of("{}"));
        assertThrows(IllegalArgumentException.class, () -> c.classify(images, 0));
        assertThrows(IllegalArgumentException.class, () -> c.classify(new float[][] {new float[3]}, 1));
        assertEquals(0, c.classify(new float[0][], 3).size());
    }
}
