package io.lakelens.models.generation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Greedy decoding and sampling (Hugging Face's {@code _sample}) for a batch of images, one row each.
 *
 * <p>Each row stops on its own end-of-sequence token or at the new-token limit. A finished row is
 * dropped from the model's batch at once, so no compute is spent on it (Hugging Face instead keeps
 * padding it); the other rows' results do not depend on it, so batched and one-at-a-time greedy
 * results are identical.
 *
 * <p>Sampling draws from a {@link SplittableRandom} per image, seeded by the caller, so a caption
 * depends only on its image, the configuration and its seed, never on the rest of the batch. The
 * draws cannot reproduce PyTorch's {@code torch.multinomial} stream; only the distribution matches.
 */
public final class SampleSearch {

    private SampleSearch() {}

    /**
     * Decodes every image of the session.
     *
     * @param session the model, with one live row per image
     * @param prompt the decoder prompt shared by all images (at least the start token)
     * @param config decoding options ({@code numBeams} must be 1)
     * @param eosTokenId the token that ends a sequence
     * @param seeds one seed per image (used only when sampling)
     * @return one sequence per image, in image order
     */
    public static List<GeneratedSequence> run(
            DecoderSession session, int[] prompt, GenerationConfig config, int eosTokenId, long[] seeds) {
        if (config.numBeams() != 1) {
            throw new IllegalArgumentException("SampleSearch needs numBeams = 1, is " + config.numBeams());
        }
        int images = seeds.length;
        int limit = config.newTokenLimit(prompt.length);
        Row[] rows = new Row[images];
        for (int i = 0; i < images; i++) {
            rows[i] = new Row(prompt, limit, config.doSample() ? new SplittableRandom(seeds[i]) : null);
        }
        // live.get(r) is the image of the session's row r.
        List<Integer> live = new ArrayList<>();
        int[][] input = new int[images][];
        for (int i = 0; i < images; i++) {
            live.add(i);
            input[i] = prompt;
        }
        while (!live.isEmpty()) {
            float[][] logits = session.forward(input);
            List<Integer> stillLive = new ArrayList<>();
            List<Integer> keptRows = new ArrayList<>();
            for (int r = 0; r < live.size(); r++) {
                Row row = rows[live.get(r)];
                row.choose(logits[r], config, eosTokenId);
                if (!row.finished) {
                    stillLive.add(live.get(r));
                    keptRows.add(r);
                }
            }
            if (stillLive.isEmpty()) {
                break;
            }
            if (stillLive.size() < live.size()) {
                int[] sources = keptRows.stream().mapToInt(Integer::intValue).toArray();
                session.select(sources, sources);
            }
            live = stillLive;
            input = new int[live.size()][];
            for (int r = 0; r < live.size(); r++) {
                input[r] = new int[] {rows[live.get(r)].last()};
            }
        }
        List<GeneratedSequence> out = new ArrayList<>(images);
        for (Row row : rows) {
            out.add(row.result());
        }
        return out;
    }

    /** One image's growing sequence. */
    private static final class Row {
        private final int promptLength;
        private final int limit;
        private final SplittableRandom random;
        private int[] tokens;
        private int length;
        private final float[] chosen;
        private boolean finished;
        private boolean stoppedOnEos;

        Row(int[] prompt, int limit, SplittableRandom random) {
            this.promptLength = prompt.length;
            this.limit = limit;
            this.random = random;
            this.tokens = Arrays.copyOf(prompt, prompt.length + limit);
            this.length = prompt.length;
            this.chosen = new float[limit];
        }

        void choose(float[] scores, GenerationConfig c, int eos) {
            int newTokens = length - promptLength;
            LogitsProcessors.process(scores, Arrays.copyOf(tokens, length), newTokens, c, eos);
            int token;
            if (c.doSample()) {
                LogitsProcessors.warp(scores, c);
                token = LogitsProcessors.sample(scores, random);
            } else {
                token = LogitsProcessors.argmax(scores);
            }
            chosen[newTokens] = scores[token];
            tokens[length++] = token;
            if (token == eos) {
                finished = true;
                stoppedOnEos = true;
            } else if (length - promptLength >= limit) {
                finished = true;
            }
        }

        int last() {
            return tokens[length - 1];
        }

        GeneratedSequence result() {
            int newTokens = length - promptLength;
            return new GeneratedSequence(Arrays.copyOf(tokens, length), newTokens, stoppedOnEos, Double.NaN,
                    newTokens, Arrays.copyOf(chosen, newTokens));
        }
    }
}
