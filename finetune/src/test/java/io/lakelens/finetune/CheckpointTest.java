package io.lakelens.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.models.clip.ClipModel;
import io.lakelens.models.runtime.ComputeDevice;
import io.lakelens.models.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    @TempDir
    Path tmp;

    private FinetuneRun.Options options(Path out, boolean resume, long stopAfter, Double alpha) {
        TrainingConfig config = TrainingConfig.defaults().withLearningRate(1e-3).withWarmupSteps(1).withMicroBatchSize(2);
        return FinetuneRun.Options.builder(Fixtures.clipTiny(), out, config, List.of(ComputeDevice.cpu())).epochs(2)
                .resume(resume).checkpointEvery(3).stopAfterSteps(stopAfter).wiseFtAlpha(alpha).build();
    }

    @Test
    void resumingAfterAStopGivesTheWeightsOfAnUninterruptedRun() throws Exception {
        try (ClipModel tokenizer = TinyPairs.load()) {
            BatchSource data = new InMemoryPairs(tokenizer, 4, 11);
            Path straight = tmp.resolve("straight");
            List<Double> losses = new ArrayList<>();
            FinetuneRun.Result whole = FinetuneRun.run(options(straight, false, 0, 0.5), data, new FinetuneRun.Listener() {
                @Override
                public void step(int epoch, ContrastiveTrainer.StepResult r) {
                    losses.add(r.loss());
                    System.out.println("straight run " + r);
                }
            });
            assertEquals(4, whole.steps());
            assertTrue(Files.isDirectory(straight.resolve("checkpoints/step-00000003")));

            Path interrupted = tmp.resolve("interrupted");
            FinetuneRun.Result first = FinetuneRun.run(options(interrupted, false, 1, null), data, new FinetuneRun.Listener() {});
            assertFalse(first.finished());
            assertThrows(IllegalArgumentException.class,
                    () -> FinetuneRun.run(options(interrupted, false, 0, null), data, new FinetuneRun.Listener() {}));
            FinetuneRun.Result rest = FinetuneRun.run(options(interrupted, true, 0, 0.5), data, new FinetuneRun.Listener() {});
            assertEquals(4, rest.steps());
            assertEquals(losses.get(3), rest.lastLoss(), 0.0);

            // The saved models reload through the strict loader, and resume changes nothing: same bits.
            float[] a = weights(straight);
            float[] b = weights(interrupted);
            assertArrayEquals(a, b, "resumed weights differ from the uninterrupted run's");
            assertArrayEquals(weights(straight.resolve("wise-ft")), weights(interrupted.resolve("wise-ft")));
            assertThrows(IllegalArgumentException.class,
                    () -> FinetuneRun.run(options(interrupted, true, 0, null), data, new FinetuneRun.Listener() {}));
            assertTrue(Files.isRegularFile(straight.resolve("tokenizer.json")));
            assertTrue(Files.isRegularFile(straight.resolve("preprocessor_config.json")));
        }
    }

    @Test
    void savedCheckpointReloadsBitIdentically() throws Exception {
        try (ClipModel model = TinyPairs.load();
                ContrastiveTrainer trainer = new ContrastiveTrainer(model, TrainingConfig.defaults().withLearningRate(1e-3), 2)) {
            trainer.step(TinyPairs.firstPairs(model, 4));
            Map<String, float[]> inMemory = ModelWeights.snapshot(model);
            Path dir = tmp.resolve("saved");
            CheckpointWriter.write(model, Fixtures.clipTiny(), dir, trainer.optimizer(), null);
            try (ClipModel reloaded = ClipModel.load(dir, ComputeDevice.cpu())) {
                Map<String, float[]> back = ModelWeights.snapshot(reloaded);
                assertEquals(inMemory.keySet(), back.keySet());
                inMemory.forEach((name, values) -> assertArrayEquals(values, back.get(name), name));
                assertEquals(TinyPairs.embedder(model).embedTexts(List.of("a cat"))[0][0],
                        TinyPairs.embedder(reloaded).embedTexts(List.of("a cat"))[0][0]);
            }
        }
    }

    @Test
    void wiseFtAtAlphaZeroIsTheStartingModel() throws Exception {
        try (ClipModel model = TinyPairs.load()) {
            Map<String, float[]> start = ModelWeights.snapshot(model);
            try (ContrastiveTrainer trainer = new ContrastiveTrainer(model, TrainingConfig.defaults().withLearningRate(1e-3), 2)) {
                trainer.step(TinyPairs.firstPairs(model, 4));
            }
            ModelWeights.interpolate(model, io.lakelens.models.checkpoint.CheckpointFolder.open(Fixtures.clipTiny()).weights(), 0.0);
            Map<String, float[]> back = ModelWeights.snapshot(model);
            start.forEach((name, values) -> assertArrayEquals(values, back.get(name), name));
        }
    }

    private static float[] weights(Path dir) {
        try (ClipModel m = ClipModel.load(dir, ComputeDevice.cpu())) {
            return ModelWeights.flat(ModelWeights.snapshot(m));
        }
    }
}
