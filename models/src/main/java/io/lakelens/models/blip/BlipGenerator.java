package io.lakelens.models.blip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.lakelens.models.generation.BeamSearch;
import io.lakelens.models.generation.GeneratedSequence;
import io.lakelens.models.generation.GenerationConfig;
import io.lakelens.models.generation.SampleSearch;
import java.util.Arrays;
import java.util.List;

/**
 * Caption token ids from pixel values, as {@code BlipForConditionalGeneration.generate} computes them:
 * encode the images once, then decode with greedy search, sampling or beam search. Stops on
 * {@code [SEP]} ({@code sep_token_id}), as Hugging Face's BLIP passes it as the EOS token.
 *
 * <p>Thread-safe: each call works in its own sub-manager and parameter store, and the weights are
 * only read. Everything a call allocates is freed when it returns.
 */
public final class BlipGenerator {

    private final BlipCaptioningModel model;

    public BlipGenerator(BlipCaptioningModel model) {
        this.model = model;
    }

    public BlipCaptioningModel model() {
        return model;
    }

    /**
     * The decoder prompt for processor ids of a text prompt ({@code [CLS] ... [SEP]}): the first id is
     * replaced by BOS ({@code [DEC]}) and the final {@code [SEP]} dropped, as Hugging Face does. No
     * prompt ({@code null}) gives {@code [BOS]}.
     */
    public int[] decoderPrompt(int[] processorIds) {
        int bos = model.config().text().bosTokenId();
        if (processorIds == null || processorIds.length <= 1) {
            return new int[] {bos};
        }
        int[] prompt = Arrays.copyOf(processorIds, processorIds.length - 1);
        prompt[0] = bos;
        return prompt;
    }

    /**
     * Generates one sequence per image.
     *
     * @param pixelValuesChw {@code count} images of {@code [C, S, S]} floats, one after another
     * @param decoderPrompt from {@link #decoderPrompt}, shared by all images
     * @param seeds sampling seed per image (length {@code count})
     */
    public List<GeneratedSequence> generate(float[] pixelValuesChw, int count, int[] decoderPrompt,
            GenerationConfig config, long[] seeds) {
        BlipVisionConfig v = model.config().vision();
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, is " + count);
        }
        if (pixelValuesChw == null || pixelValuesChw.length != (long) count * v.pixelsPerImage()) {
            throw new IllegalArgumentException("pixelValuesChw must hold " + count + " x " + v.numChannels() + " x "
                    + v.imageSize() + " x " + v.imageSize() + " = " + (long) count * v.pixelsPerImage()
                    + " floats, has " + (pixelValuesChw == null ? "null" : pixelValuesChw.length));
        }
        if (seeds.length != count) {
            throw new IllegalArgumentException("need one seed per image: " + count + ", got " + seeds.length);
        }
        int limit = config.newTokenLimit(decoderPrompt.length);
        int capacity = decoderPrompt.length + limit;
        int maxPositions = model.config().text().maxPositionEmbeddings();
        if (capacity > maxPositions) {
            throw new IllegalArgumentException("prompt (" + decoderPrompt.length + ") plus new tokens (" + limit
                    + ") exceed max_position_embeddings " + maxPositions);
        }
        int eos = model.config().text().sepTokenId();
        try (NDManager call = model.manager().newSubManager(); NDScope scope = new NDScope()) {
            ParameterStore ps = model.parameterStore(call);
            NDArray imageStates = encodeImages(ps, call, pixelValuesChw, count);
            try (BlipDecoderSession session =
                    new BlipDecoderSession(model.textDecoder(), ps, call, imageStates, capacity)) {
                imageStates.close();
                return config.numBeams() > 1
                        ? BeamSearch.run(session, decoderPrompt, config, eos, count)
                        : SampleSearch.run(session, decoderPrompt, config, eos, seeds);
            }
        }
    }

    /**
     * The largest attention-score tensor a vision chunk may create. Larger blocks come from fresh
     * {@code mmap}ed pages on every allocation (glibc serves blocks above 32 MB that way), whose page
     * faults and zeroing cost more than batching gains: at 384 pixels one image's scores take 16 MB,
     * and encoding 8 images one at a time measured 10-14% less CPU than all 8 at once.
     */
    private static final long CHUNK_SCORE_BYTES = 16L << 20;

    /**
     * The vision encoder alone: {@code last_hidden_state} {@code [count, N+1, D]} in {@code manager}.
     * Images go through in chunks small enough that no intermediate exceeds {@link
     * #CHUNK_SCORE_BYTES} (one image at a time for BLIP-base); results do not depend on the chunking.
     */
    public NDArray encodeImages(ParameterStore ps, NDManager manager, float[] pixelValuesChw, int count) {
        BlipVisionConfig v = model.config().vision();
        long n = v.numPositions();
        long scoreBytes = 4L * v.numAttentionHeads() * n * n;
        int chunk = (int) Math.max(1, Math.min(count, CHUNK_SCORE_BYTES / scoreBytes));
        return encodeImages(ps, manager, pixelValuesChw, count, chunk);
    }

    /** As above with an explicit number of images per chunk. */
    NDArray encodeImages(ParameterStore ps, NDManager manager, float[] pixelValuesChw, int count, int chunk) {
        BlipVisionConfig v = model.config().vision();
        NDList parts = new NDList();
        for (int start = 0; start < count; start += chunk) {
            int size = Math.min(chunk, count - start);
            float[] slice = chunk == count ? pixelValuesChw
                    : Arrays.copyOfRange(pixelValuesChw, start * v.pixelsPerImage(), (start + size) * v.pixelsPerImage());
            parts.add(encodeChunk(ps, manager, slice, size));
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        NDArray all = Scoped.keep(() -> NDArrays.concat(parts, 0));
        parts.close();
        return all;
    }

    private NDArray encodeChunk(ParameterStore ps, NDManager manager, float[] pixelValuesChw, int count) {
        BlipVisionConfig v = model.config().vision();
        NDArray pixels = manager.create(pixelValuesChw, new Shape(count, v.numChannels(), v.imageSize(), v.imageSize()));
        DataType type = model.device().dataType();
        if (type != DataType.FLOAT32) {
            NDArray cast = pixels.toType(type, false);
            pixels.close();
            pixels = cast;
        }
        NDArray in = pixels;
        NDArray states = Scoped.keep(() -> model.visionModel().forward(ps, in, false));
        pixels.close();
        return states;
    }
}
