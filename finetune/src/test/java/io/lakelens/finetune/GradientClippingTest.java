package io.lakelens.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import io.lakelens.finetune.TrainableParameters.Entry;
import io.lakelens.models.clip.ClipModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ContrastiveTrainer#clipGradients}: global-norm clipping as {@code
 * torch.nn.utils.clip_grad_norm_} does it (one L2 norm over all trained parameters' gradients
 * together; every gradient scaled by {@code max / (norm + 1e-6)} when the norm exceeds {@code max}),
 * checked against gradients set by hand and a norm computed here in double precision.
 */
class GradientClippingTest {

    /** Gradient of parameter {@code p}, element {@code k}: a few distinct magnitudes and both signs. */
    private static float handGradient(int p, int k) {
        return (float) (0.01 * (p % 5 + 1) * ((k % 4) - 1.5));
    }

    /** Creates the gradients (one backward pass), then overwrites them with {@link #handGradient}. */
    private static List<float[]> setHandGradients(ContrastiveTrainer trainer, ClipModel model) {
        trainer.accumulateGradients(TinyPairs.firstPairs(model, 3));
        List<float[]> set = new ArrayList<>();
        List<Entry> entries = trainer.parameters().entries();
        for (int p = 0; p < entries.size(); p++) {
            NDArray a = entries.get(p).parameter().getArray();
            float[] g = new float[Math.toIntExact(a.size())];
            for (int k = 0; k < g.length; k++) {
                g[k] = handGradient(p, k);
            }
            overwriteGradient(a, g);
            set.add(g);
        }
        assertArrayEquals(set.get(0), gradients(trainer).get(0), "the gradient was overwritten in place");
        return set;
    }

    /**
     * In place, as the trainer itself changes gradients. (Not {@code NDArray.set}: on PyTorch it makes
     * the tensor use the Java buffer, which goes when this short-lived gradient handle is closed.)
     */
    private static void overwriteGradient(NDArray parameter, float[] values) {
        try (NDArray grad = parameter.getGradient();
                NDArray source = parameter.getManager().create(values, parameter.getShape())) {
            grad.muli(0).addi(source);
        }
    }

    private static List<float[]> gradients(ContrastiveTrainer trainer) {
        List<float[]> out = new ArrayList<>();
        for (Entry e : trainer.parameters().entries()) {
            try (NDArray g = e.parameter().getArray().getGradient()) {
                out.add(g.toFloatArray());
            }
        }
        return out;
    }

    private static double norm(List<float[]> gradients) {
        double sum = 0;
        for (float[] g : gradients) {
            for (float v : g) {
                sum += (double) v * v;
            }
        }
        return Math.sqrt(sum);
    }

    @Test
    void scalesAllGradientsByOneFactorWhenTheGlobalNormExceedsTheMaximum() {
        double max = 0.25;
        try (ClipModel model = TinyPairs.load();
                ContrastiveTrainer trainer = new ContrastiveTrainer(model,
                        TrainingConfig.defaults().withMaxGradNorm(max), 1)) {
            List<float[]> hand = setHandGradients(trainer, model);
            // By hand: parameter p contributes size_p · c_p² · (1.5² + 0.5² + 0.5² + 1.5²) / 4 for
            // sizes divisible by 4, c_p = 0.01 · (p mod 5 + 1); the loop below is the general case.
            double expectedNorm = norm(hand);
            assertTrue(expectedNorm > 10 * max, "the hand gradients must need clipping: " + expectedNorm);

            double returned = trainer.clipGradients();

            assertEquals(expectedNorm, returned, 1e-9 * expectedNorm, "the norm before clipping");
            double factor = max / (expectedNorm + 1e-6);
            List<float[]> clipped = gradients(trainer);
            for (int p = 0; p < hand.size(); p++) {
                for (int k = 0; k < hand.get(p).length; k++) {
                    double expected = hand.get(p)[k] * factor;
                    assertEquals(expected, clipped.get(p)[k], 1e-7 * Math.abs(expected) + 1e-12,
                            trainer.parameters().entries().get(p).name() + "[" + k + "]");
                }
            }
            assertEquals(max, norm(clipped), 1e-5 * max, "the global norm after clipping");
        }
    }

    @Test
    void leavesGradientsAloneAtOrBelowTheMaximumAndWhenDisabled() {
        for (double max : new double[] {1e6, 0}) {
            try (ClipModel model = TinyPairs.load();
                    ContrastiveTrainer trainer = new ContrastiveTrainer(model,
                            TrainingConfig.defaults().withMaxGradNorm(max), 1)) {
                List<float[]> hand = setHandGradients(trainer, model);
                assertEquals(norm(hand), trainer.clipGradients(), 1e-9 * norm(hand));
                List<float[]> after = gradients(trainer);
                for (int p = 0; p < hand.size(); p++) {
                    assertArrayEquals(hand.get(p), after.get(p), "max " + max + ": unchanged");
                }
            }
        }
    }

    @Test
    void aNonFiniteGradientIsReportedAndNotSpreadByScaling() {
        try (ClipModel model = TinyPairs.load();
                ContrastiveTrainer trainer = new ContrastiveTrainer(model,
                        TrainingConfig.defaults().withMaxGradNorm(0.25), 1)) {
            List<float[]> hand = setHandGradients(trainer, model);
            Entry last = trainer.parameters().entries().get(hand.size() - 1);
            float[] broken = hand.get(hand.size() - 1).clone();
            broken[0] = Float.NaN;
            overwriteGradient(last.parameter().getArray(), broken);
            assertTrue(Double.isNaN(trainer.clipGradients()));
            assertArrayEquals(hand.get(0), gradients(trainer).get(0), "no scaling by a NaN factor");
        }
    }
}
