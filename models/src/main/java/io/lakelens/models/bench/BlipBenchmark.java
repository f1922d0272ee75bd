package io.lakelens.models.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.lakelens.models.blip.BlipCaptioningModel;
import io.lakelens.models.blip.BlipConfig;
import io.lakelens.models.blip.BlipDecoderSession;
import io.lakelens.models.blip.BlipGenerator;
import io.lakelens.models.blip.BlipVisionConfig;
import io.lakelens.models.generation.GeneratedSequence;
import io.lakelens.models.generation.GenerationConfig;
import io.lakelens.models.runtime.ComputeDevice;
import io.lakelens.models.runtime.TorchRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * BLIP-base captioning throughput on this machine: random weights at the sizes of
 * {@code Salesforce/blip-image-captioning-base}, float32 on CPU, model compute only. It prints only
 * what it measures; figures of other systems are in the README with their source and machine.
 *
 * <p>Prints seconds per image for greedy decoding of exactly 20 new tokens (EOS forbidden via
 * {@code minNewTokens = maxNewTokens = 20}) at batch 1 and 8, tokens/s, the vision encoder alone,
 * and the decoder's time per step at several lengths (flat thanks to the key/value cache). Each
 * figure is the median of repeated runs after a warm-up; the 1-minute load average is printed
 * beside it because the cores may be shared.
 *
 * <pre>java ... io.lakelens.models.bench.BlipBenchmark [threads=2] [repeats=3] [batches=1,8] [parts=peak,vision,caption,steps]</pre>
 */
public final class BlipBenchmark {

    private static final int NEW_TOKENS = 20;

    private BlipBenchmark() {}

    public static void main(String[] args) throws IOException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int[] batches = args.length > 2 ? Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 8};
        List<String> parts = Arrays.asList((args.length > 3 ? args[3] : "peak,vision,caption,steps").split(","));
        TorchRuntime.start(threads);
        System.out.printf(Locale.ROOT, "BLIP-base benchmark: %d intra-op thread(s), %d repeats, float32 CPU, %s%n",
                TorchRuntime.intraOpThreads(), repeats, load());

        double peak = parts.contains("peak") ? matmulPeakGflops() : Double.NaN;
        if (parts.contains("peak")) {
            System.out.printf(Locale.ROOT, "fp32 matmul peak (2048x2048 through DJL): %.0f GFLOP/s  %s%n", peak, load());
        }

        BlipConfig config = BlipConfig.captioningBase();
        try (BlipCaptioningModel model = BlipCaptioningModel.random(config, ComputeDevice.cpu())) {
            BlipGenerator generator = new BlipGenerator(model);
            BlipVisionConfig v = config.vision();
            SplittableRandom random = new SplittableRandom(7);
            float[] pixels = new float[8 * v.pixelsPerImage()];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) (random.nextDouble() * 4 - 2);
            }

            if (parts.contains("vision")) {
                double visionFlops = visionGflops(v);
                visionOnly(generator, pixels, 1); // warm-up
                double vision = median(repeats, () -> visionOnly(generator, pixels, 1));
                System.out.printf(Locale.ROOT, "vision encoder, batch 1: %.3f s/image (%.1f GFLOP/image, %.0f GFLOP/s,"
                        + " %.0f%% of peak)  %s%n", vision, visionFlops, visionFlops / vision,
                        100 * visionFlops / vision / peak, load());
            }

            GenerationConfig greedy = GenerationConfig.builder()
                    .maxNewTokens(NEW_TOKENS).minNewTokens(NEW_TOKENS).build();
            int[] prompt = generator.decoderPrompt(null);
            for (int batch : parts.contains("caption") ? batches : new int[0]) {
                float[] in = Arrays.copyOf(pixels, batch * v.pixelsPerImage());
                long[] seeds = new long[batch];
                caption(generator, in, batch, prompt, greedy, seeds); // warm-up
                double seconds = median(repeats, () -> caption(generator, in, batch, prompt, greedy, seeds));
                System.out.printf(Locale.ROOT, "greedy caption, %d new tokens, batch %d: %.3f s/image,"
                        + " %.1f tokens/s  %s%n", NEW_TOKENS, batch, seconds / batch,
                        NEW_TOKENS * batch / seconds, load());
            }

            if (parts.contains("steps")) {
                stepTimes(model, generator, pixels, repeats);
            }
        }
    }

    /** Seconds for one vision pass over {@code batch} images. */
    private static double visionOnly(BlipGenerator generator, float[] pixels, int batch) {
        BlipCaptioningModel model = generator.model();
        float[] in = Arrays.copyOf(pixels, batch * model.config().vision().pixelsPerImage());
        try (NDManager m = model.manager().newSubManager()) {
            ParameterStore ps = model.parameterStore(m);
            long start = System.nanoTime();
            generator.encodeImages(ps, m, in, batch);
            return (System.nanoTime() - start) / 1e9 / batch;
        }
    }

    /** Seconds for one captioning call. */
    private static double caption(BlipGenerator generator, float[] pixels, int batch, int[] prompt,
            GenerationConfig config, long[] seeds) {
        long start = System.nanoTime();
        List<GeneratedSequence> out = generator.generate(pixels, batch, prompt, config, seeds);
        double seconds = (System.nanoTime() - start) / 1e9;
        for (GeneratedSequence s : out) {
            if (s.newTokens() != NEW_TOKENS) {
                throw new IllegalStateException("expected " + NEW_TOKENS + " new tokens, got " + s.newTokens());
            }
        }
        return seconds;
    }

    /** Decoder time per step (batch 1) at several caption lengths: flat when the cache works. */
    private static void stepTimes(BlipCaptioningModel model, BlipGenerator generator, float[] pixels, int repeats) {
        int[] report = {1, 10, 20, 40};
        int steps = 40;
        double[][] times = new double[repeats + 1][steps + 1];
        for (int rep = 0; rep <= repeats; rep++) {
            try (NDManager m = model.manager().newSubManager()) {
                ParameterStore ps = model.parameterStore(m);
                NDArray states = generator.encodeImages(ps, m,
                        Arrays.copyOf(pixels, model.config().vision().pixelsPerImage()), 1);
                try (BlipDecoderSession session =
                        new BlipDecoderSession(model.textDecoder(), ps, m, states, steps + 1)) {
                    int token = model.config().text().bosTokenId();
                    for (int step = 1; step <= steps; step++) {
                        long start = System.nanoTime();
                        float[][] logits = session.forward(new int[][] {{token}});
                        times[rep][step] = (System.nanoTime() - start) / 1e9;
                        token = 1000 + (step * 7919) % 20000 + (logits[0][0] > 0 ? 1 : 0);
                    }
                }
            }
        }
        StringBuilder line = new StringBuilder("decoder step time, batch 1 (median over runs):");
        for (int step : report) {
            double[] at = new double[repeats];
            for (int rep = 1; rep <= repeats; rep++) {
                at[rep - 1] = times[rep][step];
            }
            Arrays.sort(at);
            line.append(String.format(Locale.ROOT, "  step %d: %.1f ms", step, 1000 * at[at.length / 2]));
        }
        System.out.println(line + "  " + load());
    }

    /** 2048x2048 float32 matrix products per second, in GFLOP/s (best of several). */
    private static double matmulPeakGflops() {
        try (NDManager m = TorchRuntime.newManager(ComputeDevice.cpu())) {
            NDArray a = m.randomNormal(new Shape(2048, 2048), DataType.FLOAT32);
            NDArray b = m.randomNormal(new Shape(2048, 2048), DataType.FLOAT32);
            a.matMul(b).close();
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                a.matMul(b).close();
                best = Math.min(best, (System.nanoTime() - start) / 1e9);
            }
            return 2.0 * 2048 * 2048 * 2048 / best / 1e9;
        }
    }

    /** Multiply-adds x 2 of one image through the vision tower (projections, MLP, attention, patches). */
    static double visionGflops(BlipVisionConfig v) {
        double t = v.numPositions();
        double d = v.hiddenSize();
        double perLayer = 2 * t * (4 * d * d + 2 * d * v.intermediateSize()) + 2 * 2 * t * t * d;
        double patches = 2 * (t - 1) * d * v.numChannels() * v.patchSize() * v.patchSize();
        return (v.numHiddenLayers() * perLayer + patches) / 1e9;
    }

    private interface Run {
        double seconds();
    }

    private static double median(int repeats, Run run) {
        List<Double> all = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            all.add(run.seconds());
        }
        all.sort(null);
        return all.get(all.size() / 2);
    }

    /** The 1-minute load average, as the machine reports it. */
    private static String load() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return "[load " + parts[0] + "]";
        } catch (IOException | RuntimeException e) {
            return "[load ?]";
        }
    }
}
