package io.lakelens.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import io.lakelens.finetune.TrainableParameters.Entry;
import io.lakelens.models.clip.ClipModel;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** AdamW, its parameter groups, the schedule and tower locking. */
class OptimizerTest {

    @Test
    void adamWMatchesPyTorchsUpdateWithDecayOnlyForMatrices() {
        double lr = 1e-3;
        double wd = 0.2;
        AdamW.Settings s = new AdamW.Settings(0.9, 0.98, 1e-6, wd);
        TrainingConfig config = TrainingConfig.defaults().withWeightDecay(wd).withLearningRate(lr);
        try (ClipModel model = TinyPairs.load();
                ContrastiveTrainer trainer = new ContrastiveTrainer(model, config, 10)) {
            trainer.accumulateGradients(TinyPairs.firstPairs(model, 3));
            Map<String, Entry> byName = trainer.parameters().entries().stream()
                    .collect(Collectors.toMap(Entry::name, e -> e));
            String[] names = {"visual_projection.weight", "text_model.encoder.layers.0.mlp.fc2.bias", "logit_scale"};
            Map<String, float[]> before = new java.util.HashMap<>();
            Map<String, float[]> grads = new java.util.HashMap<>();
            for (String n : names) {
                NDArray a = byName.get(n).parameter().getArray();
                before.put(n, a.toFloatArray());
                try (NDArray g = a.getGradient()) {
                    grads.put(n, g.toFloatArray());
                }
            }
            // Two steps on the same gradient exercise both bias corrections.
            trainer.optimizer().step(lr);
            trainer.optimizer().step(lr);
            for (String n : names) {
                boolean decays = byName.get(n).decays();
                assertEquals(n.equals("visual_projection.weight"), decays, n);
                float[] after = byName.get(n).parameter().getArray().toFloatArray();
                for (int i = 0; i < after.length; i += Math.max(1, after.length / 7)) {
                    double p = before.get(n)[i];
                    double g = grads.get(n)[i];
                    double m = 0;
                    double v = 0;
                    for (int t = 1; t <= 2; t++) {
                        if (decays) {
                            p *= 1 - lr * wd;
                        }
                        m = s.beta1() * m + (1 - s.beta1()) * g;
                        v = s.beta2() * v + (1 - s.beta2()) * g * g;
                        double denominator = Math.sqrt(v) / Math.sqrt(1 - Math.pow(s.beta2(), t)) + s.eps();
                        p -= lr / (1 - Math.pow(s.beta1(), t)) * m / denominator;
                    }
                    assertEquals(p, after[i], 1e-6 + 1e-5 * Math.abs(p), n + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void noDecayForNormsBiasesEmbeddingsAndLogitScale() {
        try (ClipModel model = TinyPairs.load();
                ContrastiveTrainer trainer = new ContrastiveTrainer(model, TrainingConfig.defaults(), 1)) {
            for (Entry e : trainer.parameters().entries()) {
                boolean exempt = e.name().contains("norm") || e.name().endsWith("bias") || e.name().contains("embedding")
                        && !e.name().contains("patch_embedding") || e.name().equals("logit_scale");
                assertEquals(!exempt, e.decays(), e.name());
            }
        }
    }

    @Test
    void cosineScheduleWarmsUpLinearlyThenDecaysToZero() {
        CosineSchedule s = new CosineSchedule(1.0, 4, 14);
        assertEquals(0.25, s.lr(0), 1e-12);
        assertEquals(1.0, s.lr(3), 1e-12);
        assertEquals(1.0, s.lr(4), 1e-12);
        assertEquals(0.5, s.lr(9), 1e-12);
        assertEquals(0.0, s.lr(14), 1e-12);
        assertEquals(1.0, new CosineSchedule(1.0, 0, 1).lr(0), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(-1e-3, 0, 1));
    }

    @Test
    void towerLockingSelectsWhatTrains() {
        TowerLocking lit = new TowerLocking(true, false, 0);
        assertFalse(lit.trains("vision_model.encoder.layers.1.mlp.fc1.weight", 2, 2));
        assertFalse(lit.trains("visual_projection.weight", 2, 2));
        assertTrue(lit.trains("text_model.embeddings.token_embedding.weight", 2, 2));
        assertTrue(lit.trains("logit_scale", 2, 2));
        TowerLocking lastOne = new TowerLocking(false, false, 1);
        assertTrue(lastOne.trains("vision_model.encoder.layers.1.mlp.fc1.weight", 2, 2));
        assertFalse(lastOne.trains("vision_model.encoder.layers.0.mlp.fc1.weight", 2, 2));
        assertTrue(lastOne.trains("text_model.final_layer_norm.weight", 2, 2));
        assertFalse(lastOne.trains("text_model.embeddings.token_embedding.weight", 2, 2));
        assertTrue(lastOne.trains("text_projection.weight", 2, 2));
        assertThrows(IllegalArgumentException.class, () -> new TowerLocking(true, true, 0));
        try (ClipModel model = TinyPairs.load();
                ContrastiveTrainer trainer = new ContrastiveTrainer(model, TrainingConfig.defaults().withLocking(lit), 1)) {
            assertTrue(trainer.parameters().entries().stream().noneMatch(e -> e.name().startsWith("vision")));
            assertFalse(model.visionModel().getParameters().get(0).getValue().requiresGradient());
        }
    }
}
