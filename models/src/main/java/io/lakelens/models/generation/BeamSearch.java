package io.lakelens.models.generation;

import io.lakelens.models.generation.GenerationConfig.EarlyStopping;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Beam search with exactly the rules of Hugging Face transformers 4.57 ({@code _beam_search}), run
 * for a batch of images that each finish on their own.
 *
 * <p>Per image and step: every live beam adds its (processed) log-probabilities to its score and
 * the best {@code 2k} (beam, token) candidates over all beams are taken. A candidate among the first
 * {@code k} that ends with the end-of-sequence token, or that reaches the length limit, becomes a
 * finished hypothesis scored {@code sum / newTokens ^ lengthPenalty}; the best {@code k} finished are
 * kept. The best {@code k} unfinished candidates are the next live beams. The image is done when its
 * finished set cannot improve any more ({@link EarlyStopping}) or at the length limit.
 *
 * <p>Scores are float32 sums as in the reference. Hugging Face starts with {@code k} copies of the
 * prompt (all but one at score -1e9); here the first step runs the prompt once and the model's rows
 * are expanded afterwards, which selects the same candidates with a third of the prompt compute.
 * Finished images leave the model's batch at once.
 */
public final class BeamSearch {

    private BeamSearch() {}

    /**
     * Decodes every image of the session.
     *
     * @param session the model, with one live row per image
     * @param prompt the decoder prompt shared by all images
     * @param config decoding options ({@code numBeams} k &gt; 1 or 1)
     * @param eosTokenId the token that ends a sequence
     * @param images the number of images
     * @return each image's best finished hypothesis, in image order
     */
    public static List<GeneratedSequence> run(
            DecoderSession session, int[] prompt, GenerationConfig config, int eosTokenId, int images) {
        int limit = config.newTokenLimit(prompt.length);
        ImageBeams[] beams = new ImageBeams[images];
        List<Integer> live = new ArrayList<>();
        int[][] input = new int[images][];
        for (int i = 0; i < images; i++) {
            beams[i] = new ImageBeams(prompt, config, limit, eosTokenId);
            live.add(i);
            input[i] = prompt;
        }
        int rowsPerImage = 1;
        while (!live.isEmpty()) {
            float[][] logits = session.forward(input);
            List<Integer> stillLive = new ArrayList<>();
            List<Integer> imageSources = new ArrayList<>();
            List<Integer> rowSources = new ArrayList<>();
            for (int li = 0; li < live.size(); li++) {
                ImageBeams image = beams[live.get(li)];
                float[][] rows = Arrays.copyOfRange(logits, li * rowsPerImage, (li + 1) * rowsPerImage);
                image.step(rows);
                if (!image.done) {
                    stillLive.add(live.get(li));
                    imageSources.add(li);
                    for (int source : image.runningSources) {
                        rowSources.add(li * rowsPerImage + source);
                    }
                }
            }
            if (stillLive.isEmpty()) {
                break;
            }
            session.select(rowSources.stream().mapToInt(Integer::intValue).toArray(),
                    imageSources.stream().mapToInt(Integer::intValue).toArray());
            live = stillLive;
            rowsPerImage = config.numBeams();
            input = new int[rowSources.size()][];
            int r = 0;
            for (int image : live) {
                for (int[] running : beams[image].running) {
                    input[r++] = new int[] {running[running.length - 1]};
                }
            }
        }
        List<GeneratedSequence> out = new ArrayList<>(images);
        for (ImageBeams image : beams) {
            out.add(image.result());
        }
        return out;
    }

    /** A (beam, token) continuation with its accumulated log-probability. */
    private record Candidate(int beam, int token, float score) {}

    /** A finished hypothesis. */
    private record Hypothesis(int[] tokens, float score) {}

    /** The beam state of one image. */
    private static final class ImageBeams {
        private final GenerationConfig config;
        private final int k;
        private final int promptLength;
        private final int limit;
        private final int eos;
        private List<int[]> running = new ArrayList<>();
        private float[] runningScores;
        private int[] runningSources;
        private final List<Hypothesis> finished = new ArrayList<>();
        private boolean improvementPossible = true;
        private boolean done;
        private int steps;

        ImageBeams(int[] prompt, GenerationConfig config, int limit, int eos) {
            this.config = config;
            this.k = config.numBeams();
            this.promptLength = prompt.length;
            this.limit = limit;
            this.eos = eos;
            running.add(prompt.clone());
            runningScores = new float[] {0f};
        }

        /** One step from the logits of this image's live beams. */
        void step(float[][] logits) {
            int vocab = logits[0].length;
            List<Candidate> candidates = topCandidates(logits, vocab);
            int newLength = steps + 1;
            boolean atLimit = newLength >= limit;
            // Next live beams: the best k candidates that did not stop.
            List<int[]> nextRunning = new ArrayList<>(k);
            float[] nextScores = new float[k];
            int[] nextSources = new int[k];
            for (Candidate c : candidates) {
                if (nextRunning.size() == k) {
                    break;
                }
                if (c.token == eos || atLimit) {
                    continue;
                }
                nextScores[nextRunning.size()] = c.score;
                nextSources[nextRunning.size()] = c.beam;
                nextRunning.add(extend(running.get(c.beam), c.token));
            }
            // Only reachable with a vocabulary smaller than 2k: like the reference, fill up with stopped
            // candidates pushed down by -1e9 so that every image keeps exactly k rows.
            for (int i = 0; i < candidates.size() && nextRunning.size() < k && !atLimit; i++) {
                Candidate c = candidates.get(i);
                if (c.token == eos) {
                    nextScores[nextRunning.size()] = c.score + -1.0e9f;
                    nextSources[nextRunning.size()] = c.beam;
                    nextRunning.add(extend(running.get(c.beam), c.token));
                }
            }
            // Finished hypotheses: only candidates ranked among the first k may finish.
            boolean full = finished.size() == k;
            boolean blocked = !improvementPossible || (config.earlyStopping() == EarlyStopping.TRUE && full);
            if (!blocked) {
                float denominator = (float) Math.pow(newLength, config.lengthPenalty());
                for (int rank = 0; rank < Math.min(k, candidates.size()); rank++) {
                    Candidate c = candidates.get(rank);
                    if (c.token == eos || atLimit) {
                        offer(new Hypothesis(extend(running.get(c.beam), c.token), c.score / denominator));
                    }
                }
            }
            running = nextRunning;
            runningScores = nextScores;
            runningSources = nextSources;
            steps = newLength;
            if (improvementPossible && finished.size() == k && !running.isEmpty()) {
                int hypotheticalLength = config.earlyStopping() == EarlyStopping.NEVER && config.lengthPenalty() > 0
                        ? limit : steps;
                float bestPossible = runningScores[0] / (float) Math.pow(hypotheticalLength, config.lengthPenalty());
                improvementPossible = bestPossible > finished.get(k - 1).score;
            }
            done = atLimit || !improvementPossible
                    || (config.earlyStopping() == EarlyStopping.TRUE && finished.size() == k);
        }

        /** The best 2k (beam, token) continuations by accumulated score, best first. */
        private List<Candidate> topCandidates(float[][] logits, int vocab) {
            int keep = 2 * k;
            float[] bestScores = new float[keep];
            int[] bestIds = new int[keep];
            int count = 0;
            for (int b = 0; b < logits.length; b++) {
                float[] scores = LogitsProcessors.logSoftmax(logits[b]);
                int[] sequence = running.get(b);
                LogitsProcessors.process(scores, sequence, sequence.length - promptLength, config, eos);
                float base = runningScores[b];
                for (int t = 0; t < vocab; t++) {
                    float s = scores[t] + base;
                    if (count == keep && !(s > bestScores[keep - 1])) {
                        continue;
                    }
                    // Insertion into the short sorted list; equal scores keep the lower (beam, token) first.
                    int pos = count == keep ? keep - 1 : count++;
                    while (pos > 0 && s > bestScores[pos - 1]) {
                        bestScores[pos] = bestScores[pos - 1];
                        bestIds[pos] = bestIds[pos - 1];
                        pos--;
                    }
                    bestScores[pos] = s;
                    bestIds[pos] = b * vocab + t;
                }
            }
            List<Candidate> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                out.add(new Candidate(bestIds[i] / vocab, bestIds[i] % vocab, bestScores[i]));
            }
            return out;
        }

        /** Adds a hypothesis if it is among the best k finished (kept sorted, best first). */
        private void offer(Hypothesis h) {
            int pos = finished.size();
            while (pos > 0 && h.score > finished.get(pos - 1).score) {
                pos--;
            }
            if (pos < k) {
                finished.add(pos, h);
                if (finished.size() > k) {
                    finished.remove(k);
                }
            }
        }

        private static int[] extend(int[] sequence, int token) {
            int[] out = Arrays.copyOf(sequence, sequence.length + 1);
            out[sequence.length] = token;
            return out;
        }

        GeneratedSequence result() {
            Hypothesis best = finished.get(0);
            int newTokens = best.tokens.length - promptLength;
            boolean eosEnd = newTokens > 0 && best.tokens[best.tokens.length - 1] == eos;
            return new GeneratedSequence(best.tokens, newTokens, eosEnd, best.score, steps, new float[0]);
        }
    }
}
