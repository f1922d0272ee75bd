package io.lakelens.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import io.lakelens.eval.retrieval.RetrievalRecall;
import io.lakelens.finetune.TrainableParameters.Entry;
import io.lakelens.models.clip.ClipEmbedder;
import io.lakelens.models.clip.ClipModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrainerTest {

    @Test
    void gradCacheGivesTheFullBatchGradient() {
        try (ClipModel model = TinyPairs.load()) {
            TrainingBatch batch = TinyPairs.firstPairs(model, 6);
            List<float[]> full;
            List<float[]> cached;
            double fullLoss;
            double cachedLoss;
            try (ContrastiveTrainer t = new ContrastiveTrainer(model, TrainingConfig.defaults(), 1)) {
                fullLoss = t.accumulateGradients(batch);
                full = gradients(t);
            }
            try (ContrastiveTrainer t = new ContrastiveTrainer(model, TrainingConfig.defaults().withMicroBatchSize(4), 1)) {
                cachedLoss = t.accumulateGradients(batch);
                cached = gradients(t);
            }
            assertEquals(fullLoss, cachedLoss, 1e-6);
            List<String> names = TrainableParameters.of(model, TowerLocking.none()).entries().stream()
                    .map(Entry::name).toList();
            List<String> different = new ArrayList<>();
            for (int i = 0; i < full.size(); i++) {
                float[] a = full.get(i);
                float[] b = cached.get(i);
                for (int k = 0; k < a.length; k++) {
                    if (Math.abs(a[k] - b[k]) > 1e-6 + 1e-4 * Math.abs(a[k])) {
                        different.add(names.get(i) + "[" + k + "] " + a[k] + " vs " + b[k]);
                        break;
                    }
                }
            }
            assertTrue(different.isEmpty(), "gradients differ: " + different);
        }
    }

    private static List<float[]> gradients(ContrastiveTrainer t) {
        List<float[]> out = new ArrayList<>();
        for (Entry e : t.parameters().entries()) {
            try (NDArray g = e.parameter().getArray().getGradient()) {
                out.add(g.toFloatArray());
            }
        }
        return out;
    }

    /** Training result: loss on all pairs and recall@1 before and after, and the final weights. */
    record Outcome(double lossBefore, double lossAfter, double recallBefore, double recallAfter, float[] weights) {}

    static Outcome train(int epochs, long seed, int microBatch) {
        try (ClipModel model = TinyPairs.load()) {
            int pairs = TinyPairs.CAPTIONS.size();
            TrainingBatch all = TinyPairs.firstPairs(model, pairs);
            int batchSize = 4;
            TrainingConfig config = TrainingConfig.defaults().withLearningRate(2e-3).withWarmupSteps(2)
                    .withMicroBatchSize(microBatch);
            try (ContrastiveTrainer trainer = new ContrastiveTrainer(model, config, (long) epochs * pairs / batchSize)) {
                double lossBefore = trainer.loss(all);
                double recallBefore = recallAt1(model, all);
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < pairs; i++) {
                    order.add(i);
                }
                for (int epoch = 0; epoch < epochs; epoch++) {
                    Collections.shuffle(order, new Random(seed * 1_000_003 + epoch));
                    for (int from = 0; from < pairs; from += batchSize) {
                        trainer.step(TinyPairs.batch(model, order.subList(from, from + batchSize)));
                    }
                }
                return new Outcome(lossBefore, trainer.loss(all), recallBefore, recallAt1(model, all),
                        ModelWeights.flat(ModelWeights.snapshot(model)));
            }
        }
    }

    static double recallAt1(ClipModel model, TrainingBatch batch) {
        ClipEmbedder clip = TinyPairs.embedder(model);
        float[][] images = clip.embedImages(batch.pixels(), batch.size());
        float[][] texts = clip.embedTokenIdsUnnormalized(batch.inputIds(), batch.attentionMask());
        texts = normalize(texts);
        int[] textImage = new int[batch.size()];
        for (int i = 0; i < textImage.length; i++) {
            textImage[i] = i;
        }
        return RetrievalRecall.compute(images, texts, textImage, 1).imageToTextRecall(1);
    }

    private static float[][] normalize(float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            double s = 0;
            for (float v : rows[i]) {
                s += v * v;
            }
            out[i] = new float[rows[i].length];
            for (int k = 0; k < rows[i].length; k++) {
                out[i][k] = (float) (rows[i][k] / Math.sqrt(s));
            }
        }
        return out;
    }

    @Test
    void trainingLowersTheLossAndRaisesRecallDeterministically() {
        Outcome a = train(6, 42, 0);
        System.out.printf("tiny CLIP, 8 pairs, 6 epochs: loss %.4f -> %.4f, recall@1 %.3f -> %.3f%n",
                a.lossBefore(), a.lossAfter(), a.recallBefore(), a.recallAfter());
        assertTrue(a.lossAfter() < a.lossBefore() - 0.3, a.toString());
        assertTrue(a.recallAfter() > a.recallBefore(), a.toString());
        Outcome b = train(6, 42, 0);
        assertArrayEquals(a.weights(), b.weights(), "same seed, same weights");
        assertEquals(a.lossAfter(), b.lossAfter());
    }
}
