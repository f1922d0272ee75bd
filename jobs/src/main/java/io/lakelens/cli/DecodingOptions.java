package io.lakelens.cli;

import io.lakelens.models.generation.GenerationConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Caption decoding options, with Hugging Face's names and defaults (greedy; 20 tokens in all when
 * no --max-new-tokens is given). Shared by {@code lakelens caption} and {@code lakelens model caption}.
 */
public final class DecodingOptions {

    @Option(names = "--prompt", paramLabel = "TEXT", description = "Text the caption continues, e.g. 'a picture of'.")
    String prompt;

    @Option(names = "--num-beams", defaultValue = "1", paramLabel = "N", description = "Beam search with N beams (default: 1, greedy).")
    int numBeams;

    @Option(names = "--max-new-tokens", paramLabel = "K", description = "New tokens at most (default: a 20-token sequence, as Hugging Face).")
    Integer maxNewTokens;

    @Option(names = "--min-new-tokens", defaultValue = "0", paramLabel = "K", description = "No end token before K new tokens.")
    int minNewTokens;

    @Option(names = "--do-sample", description = "Sample instead of taking the most likely token.")
    boolean doSample;

    @Option(names = "--temperature", defaultValue = "1.0", paramLabel = "T", description = "Sampling temperature (> 0).")
    double temperature;

    @Option(names = "--top-k", defaultValue = "50", paramLabel = "K", description = "Sampling: keep the K most likely tokens (0: all).")
    int topK;

    @Option(names = "--top-p", defaultValue = "1.0", paramLabel = "P", description = "Sampling: nucleus probability mass (1: all).")
    double topP;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Sampling seed (each image gets its own stream).")
    long seed;

    @Option(names = "--repetition-penalty", defaultValue = "1.0", paramLabel = "R", description = "Penalty for repeated tokens (1: off).")
    double repetitionPenalty;

    @Option(names = "--length-penalty", defaultValue = "1.0", paramLabel = "L", description = "Beam search length penalty.")
    double lengthPenalty;

    @Option(names = "--no-repeat-ngram-size", defaultValue = "0", paramLabel = "N", description = "Forbid repeating n-grams of size N.")
    int noRepeatNgramSize;

    @Option(names = "--early-stopping", defaultValue = "false", paramLabel = "true|false|never", description = "Beam search stopping rule.")
    String earlyStopping;

    /** The options as a checked GenerationConfig; a bad value is a usage error naming the option. */
    GenerationConfig toConfig(CommandSpec spec) {
        try {
            GenerationConfig.Builder b = GenerationConfig.defaults().toBuilder()
                    .numBeams(numBeams).minNewTokens(minNewTokens).doSample(doSample).temperature(temperature)
                    .topK(topK).topP(topP).seed(seed).repetitionPenalty(repetitionPenalty)
                    .lengthPenalty(lengthPenalty).noRepeatNgramSize(noRepeatNgramSize)
                    .earlyStopping(GenerationConfig.EarlyStopping.parse(earlyStopping)).prompt(prompt);
            if (maxNewTokens != null) {
                b.maxNewTokens(maxNewTokens);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
