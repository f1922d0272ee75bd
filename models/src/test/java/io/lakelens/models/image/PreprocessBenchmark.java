package io.lakelens.models.image;

import io.lakelens.models.image.PreprocessorConfig.HeightWidth;
import io.lakelens.models.image.PreprocessorConfig.ShortestEdge;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Single-thread cost of decode + CLIP-224 preprocessing for a synthetic 500x400 JPEG. Not a test:
 * run it by hand on a quiet machine.
 *
 * <pre>
 * mvn -o -q -pl models test-compile
 * mvn -o -q -pl models dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp models/target/test-classes:models/target/classes:$(cat /tmp/cp.txt) io.lakelens.models.image.PreprocessBenchmark
 * </pre>
 *
 * Besides milliseconds and images/s it reports the resize's multiply-accumulate rate next to the
 * rate of its inner loop measured on data that sits in L1 cache: the share of that peak the resize
 * reaches (the rest is transposing, clamping and memory traffic).
 */
public final class PreprocessBenchmark {
    private static final double[] CLIP_MEAN = {0.48145466, 0.4578275, 0.40821073};
    private static final double[] CLIP_STD = {0.26862954, 0.26130258, 0.27577711};
    private static volatile Object sink;

    public static void main(String[] args) {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        byte[] jpeg = EncodedImages.jpeg(syntheticPhoto(500, 400), 0.9f);
        ImagePreprocessor clip = new ImagePreprocessor(new PreprocessorConfig(true, true, new ShortestEdge(224), 3, true,
                new HeightWidth(224, 224), true, 1.0 / 255, true, CLIP_MEAN, CLIP_STD, "CLIPImageProcessor"));
        ImageDecoder decoder = clip.decoder();
        RgbImage decoded = decoder.decode(jpeg);
        ImagePreprocessor.Geometry g = clip.geometry(decoded.width(), decoded.height());
        System.out.printf("input: 500x400 JPEG q90 4:2:0, %d bytes; CLIP: resize to %dx%d, crop %dx%d%n",
                jpeg.length, g.resizedWidth(), g.resizedHeight(), g.outputWidth(), g.outputHeight());

        for (int i = 0; i < warmup; i++) {
            sink = clip.preprocess(jpeg);
        }
        // Median and best of single calls: on a shared machine the median shows what others'
        // load leaves us, the best what the code costs on an idle core.
        System.out.println("                             median     best  (ms per image, one thread)");
        double[] decode = time(rounds, () -> sink = decoder.decode(jpeg), "decode JPEG -> RGB");
        double[] resize = time(rounds, () -> sink = clip.resize(decoded), "bicubic resize");
        time(rounds, () -> sink = clip.preprocess(decoded), "resize + crop + normalise");
        double[] total = time(rounds, () -> sink = clip.preprocess(jpeg), "decode + preprocess");
        System.out.printf("decode + preprocess: %.0f images/s per thread (median), %.0f (best)%n", 1000 / total[0], 1000 / total[1]);
        double resizeMs = resize[1];

        long macs = resizeMacs(decoded.width(), decoded.height(), g.resizedWidth(), g.resizedHeight());
        double resizeRate = macs / (resizeMs * 1e6);
        double peakRate = cachedMacRate();
        System.out.printf("resize (best call): %.1f M multiply-adds/image, %.2f GMAC/s = %.0f%% of the %.2f GMAC/s this core"
                + " reaches on the same SIMD loop over L1-resident data%n", macs / 1e6, resizeRate, 100 * resizeRate / peakRate, peakRate);
    }

    /** Smooth gradients plus a little noise, so the JPEG compresses like a photograph. */
    private static BufferedImage syntheticPhoto(int w, int h) {
        Random random = new Random(42);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = Math.min(255, x * 255 / w + random.nextInt(8));
                int g = Math.min(255, y * 255 / h + random.nextInt(8));
                int b = (int) (127 + 120 * Math.sin(x / 17.0) * Math.cos(y / 23.0));
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return image;
    }

    /** Prints and returns {median, best} milliseconds of single calls. */
    private static double[] time(int rounds, Runnable work, String label) {
        double[] ms = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            work.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        java.util.Arrays.sort(ms);
        double[] result = {ms[rounds / 2], ms[0]};
        System.out.printf("%-28s %7.3f  %7.3f%n", label, result[0], result[1]);
        return result;
    }

    /** Multiply-adds of both passes: taps x output samples, horizontal over the rows the vertical pass reads. */
    private static long resizeMacs(int inW, int inH, int outW, int outH) {
        BicubicWeights cols = BicubicWeights.of(inW, outW);
        BicubicWeights rows = BicubicWeights.of(inH, outH);
        long horizontalTaps = 0;
        for (int x = 0; x < outW; x++) {
            horizontalTaps += cols.count[x];
        }
        long verticalTaps = 0;
        for (int y = 0; y < outH; y++) {
            verticalTaps += rows.count[y];
        }
        int rowsRead = rows.first[outH - 1] + rows.count[outH - 1] - rows.first[0];
        return 3 * (horizontalTaps * rowsRead + verticalTaps * outW);
    }

    /** The resize's inner loop (int line += weight x int line) over 4 KB that stays in L1; best of 20 runs. */
    private static double cachedMacRate() {
        int[] line = new int[1024];
        int[] acc = new int[1024];
        for (int i = 0; i < line.length; i++) {
            line[i] = i & 0xFF;
        }
        int reps = 20_000;
        double best = 0;
        for (int run = 0; run < 20; run++) {
            long start = System.nanoTime();
            for (int r = 0; r < reps; r++) {
                int k = r & 1023;
                for (int i = 0; i < acc.length; i++) {
                    acc[i] += line[i] * k;
                }
            }
            best = Math.max(best, (double) reps * acc.length / (System.nanoTime() - start));
            sink = acc;
        }
        return best;
    }
}
