package io.lakelens.models.blip;

import io.lakelens.models.checkpoint.CheckpointFolder;
import io.lakelens.models.generation.GeneratedSequence;
import io.lakelens.models.generation.GenerationConfig;
import io.lakelens.models.runtime.ComputeDevice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Captions from pixel values with a BLIP checkpoint: the public entry point. One instance per JVM
 * serves every thread (Spark task threads of an executor): {@link #generate} is thread-safe and
 * frees all it allocates before returning.
 *
 * <pre>{@code
 * try (BlipCaptioner blip = BlipCaptioner.load(dir, ComputeDevice.cpu())) {
 *     List<Caption> c = blip.generate(pixels, 2, blip.defaultConfig().toBuilder().numBeams(3).build());
 * }
 * }</pre>
 *
 * Pixel values come from {@link #processor()} ({@code BlipImageProcessor} semantics: resized to
 * {@code image_size} square, rescaled, normalised, channels first).
 */
public final class BlipCaptioner implements AutoCloseable {

    private final BlipCaptioningModel model;
    private final BlipGenerator generator;
    private final BlipProcessor processor;
    private final GenerationConfig defaults;

    private BlipCaptioner(BlipCaptioningModel model, BlipProcessor processor, GenerationConfig defaults) {
        this.model = model;
        this.generator = new BlipGenerator(model);
        this.processor = processor;
        this.defaults = defaults;
    }

    /**
     * Loads a Hugging Face BLIP captioning folder: the network ({@code config.json}, {@code
     * model.safetensors}), its {@link BlipProcessor} ({@code tokenizer.json}, {@code
     * preprocessor_config.json}) and the optional decoding defaults ({@code generation_config.json}).
     *
     * @throws io.lakelens.models.checkpoint.CheckpointException if anything is missing or does not fit
     */
    public static BlipCaptioner load(Path folder, ComputeDevice device) {
        CheckpointFolder checkpoint = CheckpointFolder.open(folder);
        BlipConfig config = BlipConfig.read(checkpoint);
        Optional<GenerationConfig> fromFile =
                checkpoint.json(CheckpointFolder.GENERATION_CONFIG).map(GenerationConfig::fromJson);
        BlipProcessor processor = BlipProcessor.load(checkpoint, config);
        try {
            BlipCaptioningModel model = BlipCaptioningModel.load(checkpoint, config, device);
            return new BlipCaptioner(model, processor, fromFile.orElse(GenerationConfig.defaults()));
        } catch (RuntimeException e) {
            processor.close();
            throw e;
        }
    }

    /** Decoding defaults: the folder's {@code generation_config.json} over Hugging Face's. */
    public GenerationConfig defaultConfig() {
        return defaults;
    }

    /** Captions {@code count} images; sampling uses {@code config.seed()} for every image. */
    public List<Caption> generate(float[] pixelValuesChw, int count, GenerationConfig config) {
        long[] seeds = new long[Math.max(count, 0)];
        Arrays.fill(seeds, config.seed());
        return generate(pixelValuesChw, count, config, seeds);
    }

    /**
     * Captions {@code count} images with a sampling seed per image (e.g. derived from a row key), so
     * a caption never depends on which other images share the batch.
     *
     * @param pixelValuesChw {@code count} images of {@code [3, S, S]}, one after another
     */
    public List<Caption> generate(float[] pixelValuesChw, int count, GenerationConfig config, long[] seeds) {
        List<GeneratedSequence> sequences = generateSequences(pixelValuesChw, count, config, seeds);
        List<Caption> out = new ArrayList<>(sequences.size());
        for (GeneratedSequence s : sequences) {
            out.add(new Caption(processor.tokenizer().decode(s.tokens()), s.tokens(), s.newTokens(), s.stoppedOnEos(), s.score()));
        }
        return out;
    }

    /** As {@link #generate}, with the ids and decoding diagnostics instead of text. */
    public List<GeneratedSequence> generateSequences(float[] pixelValuesChw, int count, GenerationConfig config,
            long[] seeds) {
        return generator.generate(pixelValuesChw, count, decoderPrompt(config.prompt()), config, seeds);
    }

    /** The decoder's starting ids for a text prompt (or none): {@code [DEC]} then the prompt's wordpieces. */
    public int[] decoderPrompt(String prompt) {
        return generator.decoderPrompt(prompt == null ? null : processor.tokenizer().encode(prompt));
    }

    public BlipConfig config() {
        return model.config();
    }

    public BlipTokenizer tokenizer() {
        return processor.tokenizer();
    }

    /** The image processor and tokenizer loaded with the model. */
    public BlipProcessor processor() {
        return processor;
    }

    public BlipCaptioningModel model() {
        return model;
    }

    /** Frees weights and tokenizer. Calls still running must finish first. */
    @Override
    public void close() {
        model.close();
        processor.close();
    }
}
