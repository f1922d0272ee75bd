package io.lakelens.finetune.bench;

import io.lakelens.finetune.ContrastiveTrainer;
import io.lakelens.finetune.TrainingBatch;
import io.lakelens.finetune.TrainingConfig;
import io.lakelens.models.bench.ClipBenchmark;
import io.lakelens.models.clip.ClipConfig;
import io.lakelens.models.clip.ClipModel;
import io.lakelens.models.runtime.ComputeDevice;
import io.lakelens.models.runtime.TorchRuntime;
import java.util.Random;

/**
 * Training throughput at ViT-B/32 size (random weights, CPU, float32): images/s of full
 * contrastive steps (forward, backward, AdamW) and the JVM's peak resident memory.
 *
 * <pre>java -cp ... io.lakelens.finetune.bench.FinetuneBenchmark [steps=3] [batch=32] [microBatch=0]</pre>
 */
public final class FinetuneBenchmark {

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int micro = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        TorchRuntime.start(Runtime.getRuntime().availableProcessors());
        ClipConfig config = ClipBenchmark.vitB32Config();
        Random random = new Random(0);
        float[] pixels = new float[batch * config.vision().pixelsPerImage()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        long[][] ids = new long[batch][20];
        long[][] mask = new long[batch][20];
        for (int i = 0; i < batch; i++) {
            ids[i][0] = 49406;
            for (int k = 1; k < 19; k++) {
                ids[i][k] = 300 + random.nextInt(40000);
            }
            ids[i][19] = 49407;
            java.util.Arrays.fill(mask[i], 1);
        }
        TrainingBatch data = new TrainingBatch(pixels, ids, mask);
        try (ClipModel model = ClipModel.withRandomWeights(config, ComputeDevice.cpu(), 0.02f);
                ContrastiveTrainer trainer = new ContrastiveTrainer(model,
                        TrainingConfig.defaults().withMicroBatchSize(micro), steps + 1)) {
            trainer.step(data); // warm-up
            long start = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                trainer.step(data);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("ViT-B/32 training, batch %d, micro-batch %s, %d threads: %.2f images/s (%.2f s/step);"
                    + " peak RSS %.2f GiB%n", batch, micro == 0 ? "none" : Integer.toString(micro),
                    TorchRuntime.intraOpThreads(), steps * batch / seconds, seconds / steps, peakRssGiB());
        }
    }

    /** VmHWM of this process (Linux), or NaN. */
    static double peakRssGiB() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0;
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return Double.NaN;
    }
}
