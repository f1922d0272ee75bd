package io.lakelens.models.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.lakelens.models.clip.ClipConfig;
import io.lakelens.models.clip.ClipEmbedder;
import io.lakelens.models.clip.ClipModel;
import io.lakelens.models.clip.ClipProcessor;
import io.lakelens.models.clip.ClipTextConfig;
import io.lakelens.models.clip.ClipVisionConfig;
import io.lakelens.models.runtime.ComputeDevice;
import io.lakelens.models.runtime.TorchRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * CLIP ViT-B/32 throughput on CPU at the real {@code openai/clip-vit-base-patch32} sizes with
 * random weights, model compute only (tensors in), and the fraction of the machine's fp32 matmul
 * peak it reaches (nanoGPT's MFU). It prints only what it measures; figures of other systems are in
 * the README with their source and machine.
 *
 * <pre>
 * java -cp ... io.lakelens.models.bench.ClipBenchmark [threads,...] [runs] [peakGflops]
 *   threads     intra-op thread counts to measure, e.g. 2,1 (default)
 *   runs        timed runs per figure after warm-up (default 7); the median is printed
 *   peakGflops  the peak the MFU is a fraction of (default: the 2048x2048 fp32 matmul rate measured
 *               here at the first thread count)
 * </pre>
 *
 * The machines are shared: the load average is printed before and after each thread count, and
 * a 2048x2048 matmul is timed beside the model, so a figure taken while other processes ran can
 * be recognised as such.
 */
public final class ClipBenchmark {

    /** {@code openai/clip-vit-base-patch32}'s config.json, the fields that decide the compute. */
    public static final String VIT_B_32 = """
            {"model_type": "clip", "projection_dim": 512, "logit_scale_init_value": 2.6592,
             "text_config": {"vocab_size": 49408, "hidden_size": 512, "intermediate_size": 2048,
               "num_hidden_layers": 12, "num_attention_heads": 8, "max_position_embeddings": 77,
               "hidden_act": "quick_gelu", "bos_token_id": 0, "eos_token_id": 2},
             "vision_config": {"hidden_size": 768, "intermediate_size": 3072, "num_hidden_layers": 12,
               "num_attention_heads": 12, "image_size": 224, "patch_size": 32, "hidden_act": "quick_gelu"}}
            """;

    /** {@link #VIT_B_32} parsed: the configuration every ViT-B/32 benchmark builds its model from. */
    public static ClipConfig vitB32Config() throws IOException {
        return ClipConfig.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree(VIT_B_32),
                "openai/clip-vit-base-patch32 (built in)");
    }

    private final ClipModel model;
    private final int runs;
    private double peakGflops;

    private ClipBenchmark(ClipModel model, int runs, double peakGflops) {
        this.model = model;
        this.runs = runs;
        this.peakGflops = peakGflops;
    }

    public static void main(String[] args) throws Exception {
        int[] threads = Arrays.stream((args.length > 0 ? args[0] : "2,1").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        double peak = args.length > 2 ? Double.parseDouble(args[2]) : Double.NaN;
        TorchRuntime.start(threads[0]);
        ClipConfig config = vitB32Config();
        try (ClipModel model = ClipModel.withRandomWeights(config, ComputeDevice.cpu(), 0.02f)) {
            ClipBenchmark bench = new ClipBenchmark(model, runs, peak);
            System.out.printf(Locale.ROOT, "CLIP ViT-B/32, random weights, float32 CPU; %s; median of %d runs;"
                    + " FLOPs counted as 2 per multiply-add of matmuls/convs%n", cpuName(), runs);
            System.out.printf(Locale.ROOT, "image tower %.2f GFLOP/image; text tower %.2f GFLOP/text at 16 tokens,"
                    + " %.2f at 77%n", imageGflops(config), textGflops(config, 16), textGflops(config, 77));
            for (int t : threads) {
                TorchRuntime.start(t);
                bench.measure(t);
            }
        }
    }

    private void measure(int threads) throws IOException {
        System.out.printf(Locale.ROOT, "%n== %d thread(s) == load average before: %s%n", threads, loadAverage());
        double matmul = matmulGflops();
        if (Double.isNaN(peakGflops)) {
            // No peak given: the matmul rate measured now, with the first thread count, is the peak.
            peakGflops = matmul;
        }
        System.out.printf(Locale.ROOT, "2048x2048 fp32 matmul now: %.1f GFLOP/s (%.0f %% of the %.0f GFLOP/s peak)%n",
                matmul, 100 * matmul / peakGflops, peakGflops);
        ClipConfig c = model.config();
        for (int batch : new int[] {1, 8, 32}) {
            double seconds = images(batch);
            report("images", batch, batch / seconds, imageGflops(c));
        }
        for (int tokens : new int[] {16, 77}) {
            double seconds = texts(32, tokens);
            report("texts@" + tokens + "tok", 32, 32 / seconds, textGflops(c, tokens));
        }
        // The public array API on top: copies in and out, per-batch sub-manager and scope.
        float[] pixels = new float[32 * c.vision().pixelsPerImage()];
        ClipEmbedder api = ClipEmbedder.of(model, ClipProcessor.of(c, null, null));
        double apiImages = medianSecondsOf(() -> api.embedImages(pixels, 32), runs);
        report("embedImages()", 32, 32 / apiImages, imageGflops(c));
        System.out.printf(Locale.ROOT, "load average after: %s%n", loadAverage());
    }

    private void report(String what, int batch, double perSecond, double gflopsPerItem) {
        double achieved = perSecond * gflopsPerItem;
        System.out.printf(Locale.ROOT, "%-14s batch %2d: %7.1f /s  %6.1f GFLOP/s  MFU %4.1f %%%n", what, batch,
                perSecond, achieved, 100 * achieved / peakGflops);
    }

    /** Median seconds per forward of the image tower (to the projected embedding). */
    private double images(int batch) {
        int s = model.config().vision().imageSize();
        float[] pixels = new float[batch * model.config().vision().pixelsPerImage()];
        Random random = new Random(1);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        try (NDManager manager = TorchRuntime.newManager(model.device())) {
            NDArray input = manager.create(pixels, new Shape(batch, 3, s, s));
            ParameterStore ps = new ParameterStore(manager, false);
            return medianSeconds(() -> model.imageFeatures(ps, input, false), batch == 1 ? 3 * runs : runs);
        }
    }

    /** Median seconds per forward of the text tower on {@code batch} texts of {@code tokens}. */
    private double texts(int batch, int tokens) {
        long[] ids = new long[batch * tokens];
        Random random = new Random(2);
        for (int b = 0; b < batch; b++) {
            ids[b * tokens] = 49406;
            for (int t = 1; t < tokens - 1; t++) {
                ids[b * tokens + t] = 1 + random.nextInt(49000);
            }
            ids[b * tokens + tokens - 1] = 49407;
        }
        try (NDManager manager = TorchRuntime.newManager(model.device())) {
            NDArray input = manager.create(ids, new Shape(batch, tokens));
            NDArray mask = manager.ones(new Shape(batch, tokens), DataType.INT64);
            ParameterStore ps = new ParameterStore(manager, false);
            return medianSeconds(() -> model.textFeatures(ps, input, mask, false), runs);
        }
    }

    private static double medianSeconds(Supplier<NDArray> forward, int timedRuns) {
        for (int i = 0; i < 2; i++) {
            try (NDScope scope = new NDScope()) {
                forward.get().toFloatArray();
            }
        }
        double[] seconds = new double[timedRuns];
        for (int i = 0; i < timedRuns; i++) {
            try (NDScope scope = new NDScope()) {
                long start = System.nanoTime();
                // Reading the result back makes sure the work is done, not just queued.
                forward.get().toFloatArray();
                seconds[i] = (System.nanoTime() - start) / 1e9;
            }
        }
        Arrays.sort(seconds);
        return seconds[timedRuns / 2];
    }

    private static double medianSecondsOf(Runnable call, int timedRuns) {
        call.run();
        double[] seconds = new double[timedRuns];
        for (int i = 0; i < timedRuns; i++) {
            long start = System.nanoTime();
            call.run();
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(seconds);
        return seconds[timedRuns / 2];
    }

    private double matmulGflops() {
        try (NDManager manager = TorchRuntime.newManager(model.device())) {
            NDArray a = manager.randomNormal(new Shape(2048, 2048));
            NDArray b = manager.randomNormal(new Shape(2048, 2048));
            double seconds = medianSeconds(() -> a.matMul(b).get(0, 0), 5);
            return 2.0 * 2048 * 2048 * 2048 / seconds / 1e9;
        }
    }

    /** Multiply-adds x 2 of the image tower, patch embedding to projection. */
    static double imageGflops(ClipConfig c) {
        ClipVisionConfig v = c.vision();
        double patches = v.gridSize() * v.gridSize();
        double t = v.numPositions();
        double d = v.hiddenSize();
        double patchEmbed = 2 * patches * v.numChannels() * v.patchSize() * v.patchSize() * d;
        double layer = 2 * t * (4 * d * d + 2 * d * v.intermediateSize()) + 2 * 2 * t * t * d;
        return (patchEmbed + v.numHiddenLayers() * layer + 2 * d * c.projectionDim()) / 1e9;
    }

    /** Multiply-adds x 2 of the text tower for one text of {@code tokens}. */
    static double textGflops(ClipConfig c, int tokens) {
        ClipTextConfig t = c.text();
        double d = t.hiddenSize();
        double layer = 2 * tokens * (4 * d * d + 2 * d * t.intermediateSize()) + 2 * 2.0 * tokens * tokens * d;
        return (t.numHiddenLayers() * layer + 2 * d * c.projectionDim()) / 1e9;
    }

    private static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
        return f[0] + " " + f[1] + " " + f[2];
    }

    private static String cpuName() {
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("/proc/cpuinfo")));
            long cores = lines.stream().filter(l -> l.startsWith("processor")).count();
            String model = lines.stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
            return model + " x" + cores;
        } catch (IOException e) {
            return "unknown CPU";
        }
    }
}
