package io.lakelens.jobs.inference;

import io.lakelens.models.clip.ClipEmbedder;
import io.lakelens.models.image.ImageDecodeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The shared executor kit of the model jobs, on any kind of input (Spark rows, files): read each
 * image, decode and preprocess it into one pixel buffer for the batch, run the model once on the
 * images that decoded, and, if that call fails, run them one by one to find the image(s) that break
 * it. Each input ends either done (with its result) or failed (with a stage, a code and a reason),
 * so counts add up and the rest of the batch goes on.
 */
public final class ImageBatches {

    /** Stage of a failure while reading or decoding the image. */
    public static final String DECODE = "decode";
    /** Stage of a failure inside the model. */
    public static final String MODEL = "model";
    /** Code of an input whose bytes could not be read. */
    public static final String READ_ERROR = "READ_ERROR";
    /** Code of an image the model failed on, alone in its batch. */
    public static final String MODEL_ERROR = "MODEL_ERROR";

    /** Where an input's encoded bytes come from. */
    @FunctionalInterface
    public interface Reader<I> {
        /** @throws IOException with a message saying what went wrong (it becomes the reason) */
        byte[] read(I input) throws IOException;
    }

    /** Decodes and preprocesses encoded bytes into a buffer (a processor's image half). */
    @FunctionalInterface
    public interface Preprocessor {
        /** @throws ImageDecodeException when the bytes are not a decodable image */
        void preprocessInto(byte[] encoded, float[] dst, int offset);
    }

    /** The model call of a job. */
    @FunctionalInterface
    public interface Run<I, R> {
        /**
         * @param pixels {@code inputs.size()} preprocessed images, one after another
         * @return one result per input, in order
         */
        List<R> run(float[] pixels, List<I> inputs);
    }

    /**
     * What a job runs on a batch: its model's preprocessing and one call per batch.
     *
     * @param pixelsPerImage floats of one preprocessed image
     */
    public record Model<I, R>(int pixelsPerImage, Preprocessor preprocessor, Run<I, R> run) {}

    /** Where the outcome of each input goes. */
    public interface Outcomes<I, R> {
        void done(I input, R result);

        void failed(I input, String stage, String code, String reason);
    }

    private ImageBatches() {}

    /** L2-normalised CLIP image embeddings: the batch's one pixel buffer through {@code clip}. */
    public static <I> Model<I, float[]> clipEmbeddings(ClipEmbedder clip) {
        return new Model<>(clip.processor().pixelsPerImage(), clip.processor()::preprocessInto,
                (pixels, inputs) -> Arrays.asList(clip.embedImages(pixels, inputs.size())));
    }

    /** Processes one batch: every input of it reaches {@code out} exactly once. */
    public static <I, R> void process(List<I> batch, Reader<I> reader, Model<I, R> model, Outcomes<I, R> out) {
        int per = model.pixelsPerImage();
        float[] pixels = new float[batch.size() * per];
        List<I> ready = new ArrayList<>(batch.size());
        for (I input : batch) {
            try {
                model.preprocessor().preprocessInto(reader.read(input), pixels, ready.size() * per);
                ready.add(input);
            } catch (ImageDecodeException e) {
                out.failed(input, DECODE, e.reason().name(), e.getMessage());
            } catch (Exception e) {
                out.failed(input, DECODE, READ_ERROR, String.valueOf(e.getMessage()));
            }
        }
        if (ready.isEmpty()) {
            return;
        }
        if (ready.size() < batch.size()) {
            // The model takes exactly the images that decoded.
            pixels = Arrays.copyOf(pixels, ready.size() * per);
        }
        List<R> results;
        try {
            results = model.run().run(pixels, ready);
        } catch (RuntimeException batchFailure) {
            oneByOne(ready, pixels, model, out);
            return;
        }
        for (int i = 0; i < ready.size(); i++) {
            out.done(ready.get(i), results.get(i));
        }
    }

    /** Finds the image(s) that break the model: each alone in a batch of one. */
    private static <I, R> void oneByOne(List<I> ready, float[] pixels, Model<I, R> model, Outcomes<I, R> out) {
        int per = model.pixelsPerImage();
        for (int i = 0; i < ready.size(); i++) {
            float[] one = Arrays.copyOfRange(pixels, i * per, (i + 1) * per);
            try {
                out.done(ready.get(i), model.run().run(one, List.of(ready.get(i))).get(0));
            } catch (RuntimeException e) {
                out.failed(ready.get(i), MODEL, MODEL_ERROR, String.valueOf(e.getMessage()));
            }
        }
    }

    /** {@code items} in consecutive batches of {@code size} (the last may be shorter). */
    public static <T> List<List<T>> batches(List<T> items, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            out.add(items.subList(i, Math.min(items.size(), i + size)));
        }
        return out;
    }
}
