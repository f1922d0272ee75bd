package io.lakelens.models.generation;

import io.lakelens.models.checkpoint.CheckpointException;
import io.lakelens.models.checkpoint.ConfigNode;
import java.util.Locale;

/**
 * How to decode, with the meaning and defaults of Hugging Face's {@code GenerationConfig}
 * (transformers 4.57). Build one with {@link #builder()}; every value is checked when built, and a
 * bad one is an {@link IllegalArgumentException} that names the option.
 *
 * <p>Length: {@code maxNewTokens} wins when set; otherwise {@code maxLength} bounds the whole
 * sequence, decoder prompt included, exactly as in Hugging Face (whose default is 20).
 *
 * <p>Not supported (rejected rather than ignored): beam sampling ({@code doSample} with {@code
 * numBeams > 1}). {@code num_return_sequences} is always 1.
 *
 * @param maxNewTokens new tokens at most, or {@link #UNSET} to use {@code maxLength}
 * @param maxLength whole-sequence limit used when {@code maxNewTokens} is unset
 * @param minNewTokens the end-of-sequence token is forbidden until this many new tokens exist
 * @param numBeams 1 for greedy or sampling, more for beam search
 * @param doSample sample from the (warped) distribution instead of taking the best token
 * @param temperature sampling only: logits are divided by it (must be &gt; 0)
 * @param topK sampling only: keep the k most likely tokens (0 keeps all; Hugging Face's default is 50)
 * @param topP sampling only: keep the smallest set of tokens whose probability reaches p (1 keeps all)
 * @param repetitionPenalty Hugging Face's (CTRL) penalty for tokens already in the sequence; 1 is off
 * @param lengthPenalty beam search: finished scores are divided by {@code newTokens ^ lengthPenalty}
 * @param earlyStopping beam search stopping rule, see {@link EarlyStopping}
 * @param noRepeatNgramSize forbid repeating any n-gram of this size (0 is off)
 * @param seed sampling only: seed of each image's own random stream
 * @param prompt text the caption starts with (e.g. {@code "a picture of"}), or null
 */
public record GenerationConfig(
        int maxNewTokens,
        int maxLength,
        int minNewTokens,
        int numBeams,
        boolean doSample,
        double temperature,
        int topK,
        double topP,
        double repetitionPenalty,
        double lengthPenalty,
        EarlyStopping earlyStopping,
        int noRepeatNgramSize,
        long seed,
        String prompt) implements java.io.Serializable {

    /** Marks {@code maxNewTokens} as not set. */
    public static final int UNSET = -1;

    /**
     * Hugging Face's {@code early_stopping} for beam search.
     *
     * <ul>
     *   <li>{@code FALSE} (default): stop an image once k hypotheses are finished and the best live beam,
     *       scored at its current length, cannot beat the worst of them;
     *   <li>{@code TRUE}: stop as soon as k hypotheses are finished;
     *   <li>{@code NEVER}: like FALSE, but with a positive length penalty the live beam is scored at the
     *       maximum length (the canonical, slower rule).
     * </ul>
     */
    public enum EarlyStopping {
        FALSE, TRUE, NEVER;

        /** Parses {@code true}, {@code false} or {@code never} (any case). */
        public static EarlyStopping parse(String s) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "true":
                    return TRUE;
                case "false":
                    return FALSE;
                case "never":
                    return NEVER;
                default:
                    throw new IllegalArgumentException("earlyStopping must be true, false or never, is '" + s + "'");
            }
        }
    }

    public GenerationConfig {
        if (maxNewTokens != UNSET && maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be at least 1 (or unset), is " + maxNewTokens);
        }
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be at least 1, is " + maxLength);
        }
        if (minNewTokens < 0) {
            throw new IllegalArgumentException("minNewTokens must be >= 0, is " + minNewTokens);
        }
        if (maxNewTokens != UNSET && maxNewTokens < minNewTokens) {
            throw new IllegalArgumentException(
                    "maxNewTokens (" + maxNewTokens + ") must be >= minNewTokens (" + minNewTokens + ")");
        }
        if (numBeams < 1) {
            throw new IllegalArgumentException("numBeams must be at least 1, is " + numBeams);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number > 0, is " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (0 disables it), is " + topK);
        }
        if (!(topP >= 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in [0, 1], is " + topP);
        }
        if (!(repetitionPenalty > 0) || Double.isInfinite(repetitionPenalty)) {
            throw new IllegalArgumentException("repetitionPenalty must be a finite number > 0, is " + repetitionPenalty);
        }
        if (!Double.isFinite(lengthPenalty)) {
            throw new IllegalArgumentException("lengthPenalty must be finite, is " + lengthPenalty);
        }
        if (earlyStopping == null) {
            throw new IllegalArgumentException("earlyStopping must not be null");
        }
        if (noRepeatNgramSize < 0) {
            throw new IllegalArgumentException("noRepeatNgramSize must be >= 0, is " + noRepeatNgramSize);
        }
        if (doSample && numBeams > 1) {
            throw new IllegalArgumentException("doSample with numBeams > 1 (beam sampling) is not supported");
        }
    }

    /** Hugging Face's defaults: greedy, {@code max_length} 20. */
    public static GenerationConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The defaults a model folder's {@code generation_config.json} sets (absent fields keep Hugging
     * Face's class defaults). Token ids in it are the model's business, not read here.
     */
    public static GenerationConfig fromJson(ConfigNode json) {
        Builder b = builder();
        try {
            if (json.has("max_new_tokens")) {
                b.maxNewTokens(json.intOr("max_new_tokens", UNSET));
            }
            b.maxLength(json.intOr("max_length", b.maxLength))
                    .minNewTokens(json.intOr("min_new_tokens", b.minNewTokens))
                    .numBeams(json.intOr("num_beams", b.numBeams))
                    .doSample(json.boolOr("do_sample", b.doSample))
                    .temperature(json.doubleOr("temperature", b.temperature))
                    .topK(json.intOr("top_k", b.topK))
                    .topP(json.doubleOr("top_p", b.topP))
                    .repetitionPenalty(json.doubleOr("repetition_penalty", b.repetitionPenalty))
                    .lengthPenalty(json.doubleOr("length_penalty", b.lengthPenalty))
                    .noRepeatNgramSize(json.intOr("no_repeat_ngram_size", b.noRepeatNgramSize));
            if (json.has("early_stopping")) {
                b.earlyStopping(EarlyStopping.parse(json.json().get("early_stopping").asText()));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(json.where() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The new-token limit for a decoder prompt of this length.
     *
     * @throws IllegalArgumentException when {@code maxLength} leaves no room after the prompt, or less
     *     than {@code minNewTokens}
     */
    public int newTokenLimit(int promptLength) {
        int limit = maxNewTokens != UNSET ? maxNewTokens : maxLength - promptLength;
        if (limit < 1) {
            throw new IllegalArgumentException("maxLength (" + maxLength + ") leaves no room for new tokens after a "
                    + promptLength + "-token prompt; set maxNewTokens");
        }
        if (limit < minNewTokens) {
            throw new IllegalArgumentException("the new-token limit (" + limit + ") is below minNewTokens ("
                    + minNewTokens + ")");
        }
        return limit;
    }

    /** Mutable builder with Hugging Face's defaults. */
    public static final class Builder {
        private int maxNewTokens = UNSET;
        private int maxLength = 20;
        private int minNewTokens = 0;
        private int numBeams = 1;
        private boolean doSample = false;
        private double temperature = 1.0;
        private int topK = 50;
        private double topP = 1.0;
        private double repetitionPenalty = 1.0;
        private double lengthPenalty = 1.0;
        private EarlyStopping earlyStopping = EarlyStopping.FALSE;
        private int noRepeatNgramSize = 0;
        private long seed = 0;
        private String prompt = null;

        private Builder() {}

        private Builder(GenerationConfig c) {
            maxNewTokens = c.maxNewTokens;
            maxLength = c.maxLength;
            minNewTokens = c.minNewTokens;
            numBeams = c.numBeams;
            doSample = c.doSample;
            temperature = c.temperature;
            topK = c.topK;
            topP = c.topP;
            repetitionPenalty = c.repetitionPenalty;
            lengthPenalty = c.lengthPenalty;
            earlyStopping = c.earlyStopping;
            noRepeatNgramSize = c.noRepeatNgramSize;
            seed = c.seed;
            prompt = c.prompt;
        }

        public Builder maxNewTokens(int v) {
            maxNewTokens = v;
            return this;
        }

        public Builder maxLength(int v) {
            maxLength = v;
            return this;
        }

        public Builder minNewTokens(int v) {
            minNewTokens = v;
            return this;
        }

        public Builder numBeams(int v) {
            numBeams = v;
            return this;
        }

        public Builder doSample(boolean v) {
            doSample = v;
            return this;
        }

        public Builder temperature(double v) {
            temperature = v;
            return this;
        }

        public Builder topK(int v) {
            topK = v;
            return this;
        }

        public Builder topP(double v) {
            topP = v;
            return this;
        }

        public Builder repetitionPenalty(double v) {
            repetitionPenalty = v;
            return this;
        }

        public Builder lengthPenalty(double v) {
            lengthPenalty = v;
            return this;
        }

        public Builder earlyStopping(EarlyStopping v) {
            earlyStopping = v;
            return this;
        }

        public Builder noRepeatNgramSize(int v) {
            noRepeatNgramSize = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** Text the caption must start with; null or empty for none. */
        public Builder prompt(String v) {
            prompt = v == null || v.isEmpty() ? null : v;
            return this;
        }

        public GenerationConfig build() {
            return new GenerationConfig(maxNewTokens, maxLength, minNewTokens, numBeams, doSample, temperature, topK,
                    topP, repetitionPenalty, lengthPenalty, earlyStopping, noRepeatNgramSize, seed, prompt);
        }
    }
}
