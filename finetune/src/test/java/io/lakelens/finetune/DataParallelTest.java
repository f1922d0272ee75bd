package io.lakelens.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.lakelens.models.clip.ClipModel;
import io.lakelens.models.runtime.ComputeDevice;
import io.lakelens.models.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data parallel training with several replicas on the CPU device: the same steps as one replica
 * with the same micro-batching, up to the order in which micro-batch gradients are summed.
 */
class DataParallelTest {

    /** Relative tolerance on every weight and loss. */
    static final double TOLERANCE = 1e-5;
    /**
     * Absolute floor added in float32 only: replicas add the micro-batches' gradients in another
     * order, and AdamW's {@code m / sqrt(v)} turns those last-bit differences on gradients near 0
     * into update differences of up to the learning rate's order; after 4 steps at lr 2e-3 the
     * largest seen is 6.4e-6 on weights of order 1e-2. In float64 (weights compared in float32)
     * the relative tolerance alone holds.
     */
    static final double FLOAT32_ABSOLUTE = 1e-5;

    record Run(List<Double> losses, float[] weights) {}

    static Run train(int replicas, boolean threads, int microBatch, int epochs, boolean float64) {
        try (ClipModel model = float64 ? TinyPairs.loadFloat64() : TinyPairs.load()) {
            int pairs = TinyPairs.CAPTIONS.size();
            int batchSize = 4;
            TrainingConfig config = TrainingConfig.defaults().withLearningRate(2e-3).withWarmupSteps(2)
                    .withMicroBatchSize(microBatch);
            List<Device> devices = Collections.nCopies(replicas, Device.cpu());
            List<Double> losses = new ArrayList<>();
            try (ContrastiveTrainer trainer = new ContrastiveTrainer(model, config, (long) epochs * pairs / batchSize,
                    devices, threads)) {
                assertEquals(replicas, trainer.replicas());
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < pairs; i++) {
                    order.add(i);
                }
                for (int epoch = 0; epoch < epochs; epoch++) {
                    Collections.shuffle(order, new Random(42 * 1_000_003L + epoch));
                    for (int from = 0; from < pairs; from += batchSize) {
                        losses.add(trainer.step(TinyPairs.batch(model, order.subList(from, from + batchSize))).loss());
                    }
                }
            }
            return new Run(losses, ModelWeights.flat(ModelWeights.snapshot(model)));
        }
    }

    private static void assertSame(Run expected, Run actual, String what, double absolute) {
        assertEquals(expected.losses().size(), actual.losses().size());
        for (int i = 0; i < expected.losses().size(); i++) {
            assertEquals(expected.losses().get(i), actual.losses().get(i),
                    TOLERANCE * Math.max(1, Math.abs(expected.losses().get(i))), what + ": loss of step " + (i + 1));
        }
        float[] a = expected.weights();
        float[] b = actual.weights();
        assertEquals(a.length, b.length);
        double worst = 0;
        double worstAbs = 0;
        int bad = 0;
        for (int k = 0; k < a.length; k++) {
            double diff = Math.abs(a[k] - b[k]) / Math.max(1e-12, Math.abs(a[k]));
            worst = Math.max(worst, diff);
            worstAbs = Math.max(worstAbs, Math.abs(a[k] - b[k]));
            if (Math.abs(a[k] - b[k]) > TOLERANCE * Math.abs(a[k]) + absolute) {
                bad++;
            }
        }
        System.out.printf("%s: %d weights, largest relative difference %.3g, absolute %.3g, %d beyond %.0e relative"
                + " + %.0e%n", what, a.length, worst, worstAbs, bad, TOLERANCE, absolute);
        assertTrue(bad == 0, what + ": " + bad + " weights differ by more than " + TOLERANCE + " relative + "
                + absolute);
    }

    @Test
    void twoReplicasTrainAsOne() {
        int epochs = 2;
        // Batch 4, micro-batch 1: four micro-batches, two on each replica.
        for (boolean f64 : new boolean[] {true, false}) {
            String type = f64 ? "float64" : "float32";
            double absolute = f64 ? 0 : FLOAT32_ABSOLUTE;
            Run one = train(1, false, 1, epochs, f64);
            Run two = train(2, false, 1, epochs, f64);
            assertSame(one, two, "2 CPU replicas vs 1, micro-batch 1, " + type, absolute);
            Run threaded = train(2, true, 1, epochs, f64);
            assertSame(one, threaded, "2 CPU replicas on threads vs 1, micro-batch 1, " + type, absolute);
        }
    }

    @Test
    void withoutMicroBatchesEachReplicaTakesAnEqualShare() {
        // No micro-batch size: 2 replicas take half of the batch of 4 each, as micro-batches of 2.
        Run one = train(1, false, 2, 1, true);
        Run two = train(2, false, 0, 1, true);
        assertSame(one, two, "2 CPU replicas without micro-batch size vs 1 with micro-batch 2, float64", 0);
    }

    @TempDir
    Path tmp;

    private static FinetuneRun.Options options(Path out, List<ComputeDevice> devices, boolean resume, long stopAfter) {
        TrainingConfig config = TrainingConfig.defaults().withLearningRate(1e-3).withWarmupSteps(1).withMicroBatchSize(1);
        return FinetuneRun.Options.builder(Fixtures.clipTiny(), out, config, devices).epochs(2).resume(resume)
                .checkpointEvery(3).stopAfterSteps(stopAfter).build();
    }

    private static float[] saved(Path dir) {
        try (ClipModel m = ClipModel.load(dir, ComputeDevice.cpu())) {
            return ModelWeights.flat(ModelWeights.snapshot(m));
        }
    }

    @Test
    void aRunOnTwoReplicasStopsResumesAndMatchesOneDevice() throws Exception {
        try (ClipModel tokenizer = TinyPairs.load()) {
            BatchSource data = new InMemoryPairs(tokenizer, 4, 11);
            List<ComputeDevice> two = List.of(ComputeDevice.cpu(), ComputeDevice.cpu());
            Path one = tmp.resolve("one");
            FinetuneRun.Result single = FinetuneRun.run(options(one, List.of(ComputeDevice.cpu()), false, 0), data,
                    new FinetuneRun.Listener() {});
            Path parallel = tmp.resolve("two");
            assertTrue(!FinetuneRun.run(options(parallel, two, false, 1), data, new FinetuneRun.Listener() {}).finished());
            FinetuneRun.Result rest = FinetuneRun.run(options(parallel, two, true, 0), data, new FinetuneRun.Listener() {});
            assertEquals(single.steps(), rest.steps());
            assertEquals(single.lastLoss(), rest.lastLoss(), TOLERANCE * Math.abs(single.lastLoss()));
            float[] a = saved(one);
            float[] b = saved(parallel);
            int bad = 0;
            for (int k = 0; k < a.length; k++) {
                if (Math.abs(a[k] - b[k]) > TOLERANCE * Math.abs(a[k]) + FLOAT32_ABSOLUTE) {
                    bad++;
                }
            }
            assertEquals(0, bad, "weights of the 2-replica run (stopped and resumed) differ from 1 device's");
        }
    }

    @Test
    void theFirstDeviceMustBeTheModels() {
        try (ClipModel model = TinyPairs.load()) {
            assertThrows(IllegalArgumentException.class, () -> new ContrastiveTrainer(model,
                    TrainingConfig.defaults(), 1, List.of()));
            assertThrows(IllegalArgumentException.class, () -> new ContrastiveTrainer(model,
                    TrainingConfig.defaults(), 1, List.of(Device.gpu(0), Device.cpu())));
        }
    }
}
