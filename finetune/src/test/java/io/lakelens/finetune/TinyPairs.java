package io.lakelens.finetune;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import io.lakelens.models.clip.ClipEmbedder;
import io.lakelens.models.clip.ClipModel;
import io.lakelens.models.clip.ClipProcessor;
import io.lakelens.models.runtime.ComputeDevice;
import io.lakelens.models.runtime.TorchRuntime;
import io.lakelens.models.testing.Fixtures;
import io.lakelens.models.text.ClipTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The tiny fixture CLIP and a few made-up (image, caption) pairs for it. */
final class TinyPairs {

    static final List<String> CAPTIONS = List.of(
            "a red apple on a table", "a black cat asleep", "a blue car in the rain", "two yellow flowers",
            "a green frog on a leaf", "an old wooden boat", "a snowy mountain peak", "a cup of hot coffee");

    /** The fixture's processor, shared by the tests (never closed: it lives as long as the JVM). */
    private static ClipProcessor processor;

    private TinyPairs() {}

    static synchronized ClipProcessor processor() {
        if (processor == null) {
            processor = ClipProcessor.load(Fixtures.clipTiny());
        }
        return processor;
    }

    /**
     * The array API over a model the test owns. Not to be closed: closing would close the model
     * (its owner closes it) and the shared processor.
     */
    static ClipEmbedder embedder(ClipModel model) {
        return ClipEmbedder.of(model, processor());
    }

    static ClipModel load() {
        TorchRuntime.start(1);
        return ClipModel.load(Fixtures.clipTiny(), ComputeDevice.cpu());
    }

    /** In float64, for finite differences. */
    static ClipModel loadFloat64() {
        TorchRuntime.start(1);
        return ClipModel.load(Fixtures.clipTiny(), new ComputeDevice(Device.cpu(), DataType.FLOAT64));
    }

    /** {@code count} images of seeded noise, each with a smooth colour of its own so they differ. */
    static float[] images(ClipModel model, int count, long seed) {
        int per = model.config().vision().pixelsPerImage();
        float[] out = new float[count * per];
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            float base = (float) random.nextGaussian();
            for (int k = 0; k < per; k++) {
                out[i * per + k] = base + 0.5f * (float) random.nextGaussian();
            }
        }
        return out;
    }

    /** Pairs {@code indices} of the fixed set of images and captions, as one batch. */
    static TrainingBatch batch(ClipModel model, List<Integer> indices) {
        float[] all = images(model, CAPTIONS.size(), 7);
        int per = model.config().vision().pixelsPerImage();
        float[] pixels = new float[indices.size() * per];
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < indices.size(); i++) {
            System.arraycopy(all, indices.get(i) * per, pixels, i * per, per);
            texts.add(CAPTIONS.get(indices.get(i)));
        }
        ClipTokenizer.Batch tokens = processor().tokenize(texts);
        return new TrainingBatch(pixels, tokens.inputIds(), tokens.attentionMask());
    }

    static TrainingBatch firstPairs(ClipModel model, int count) {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            indices.add(i);
        }
        return batch(model, indices);
    }
}
