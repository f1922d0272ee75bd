package io.lakelens.models.blip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.lakelens.models.generation.GenerationConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Native memory stays flat over many calls, and one captioner serves many threads. */
class BlipResourcesTest {

    private static final List<String> IMAGES = List.of("rgb_48x40.png", "rgb_40x64.jpg", "rgb_100x100.png");

    private static List<GenerationConfig> configs() {
        GenerationConfig base = BlipGolden.captioner().defaultConfig().toBuilder().maxNewTokens(12).build();
        return List.of(base, base.toBuilder().numBeams(3).build(),
                base.toBuilder().prompt("a picture of").doSample(true).seed(5).build(),
                base.toBuilder().numBeams(3).prompt("a picture of").noRepeatNgramSize(2).build());
    }

    @Test
    void nativeArraysAndResidentMemoryStayFlatOverManyCalls() throws IOException {
        BlipCaptioner blip = BlipGolden.captioner();
        NDManager weights = blip.model().manager();
        float[] pixels = BlipGolden.concat(IMAGES);
        List<GenerationConfig> configs = configs();
        // Warm up allocator pools and JIT before taking the baseline.
        for (int i = 0; i < 20; i++) {
            blip.generate(pixels, IMAGES.size(), configs.get(i % configs.size()));
        }
        int arraysBefore = weights.getManagedArrays().size();
        long nativeBefore = nativeResidentMb();
        for (int i = 0; i < 120; i++) {
            blip.generate(pixels, IMAGES.size(), configs.get(i % configs.size()));
            assertEquals(arraysBefore, weights.getManagedArrays().size(), "arrays left behind after call " + i);
        }
        long growth = nativeResidentMb() - nativeBefore;
        // 120 calls create some 100,000 native tensors (each step's logits alone are 0.1-1 MB): a
        // leak of one tensor per step would show as hundreds of megabytes.
        assertTrue(growth < 48, "resident memory outside the Java heap grew by " + growth + " MB over 120 calls");
    }

    /** Resident memory minus the committed Java heap (which grows with garbage, not with leaks). */
    private static long nativeResidentMb() throws IOException {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
        return (residentKb() * 1024 - heap) >> 20;
    }

    @Test
    void concurrentCallersGetTheSameCaptionsAsSequentialOnes() throws Exception {
        BlipCaptioner blip = BlipGolden.captioner();
        List<GenerationConfig> configs = configs();
        List<float[]> inputs = new ArrayList<>();
        List<int[][]> expected = new ArrayList<>();
        for (int task = 0; task < 8; task++) {
            List<String> images = List.of(IMAGES.get(task % 3), IMAGES.get((task + 1) % 3));
            float[] pixels = BlipGolden.concat(images);
            inputs.add(pixels);
            List<Caption> captions = blip.generate(pixels, 2, configs.get(task % configs.size()));
            expected.add(new int[][] {captions.get(0).tokenIds(), captions.get(1).tokenIds()});
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<int[][]>> futures = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int task = 0; task < 8; task++) {
                    int t = task;
                    futures.add(pool.submit(() -> {
                        List<Caption> c = blip.generate(inputs.get(t), 2, configs.get(t % configs.size()));
                        return new int[][] {c.get(0).tokenIds(), c.get(1).tokenIds()};
                    }));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                int[][] got = futures.get(i).get();
                assertArrayEquals(expected.get(i % 8)[0], got[0], "task " + i);
                assertArrayEquals(expected.get(i % 8)[1], got[1], "task " + i);
            }
        } finally {
            pool.shutdown();
        }
    }

    private static long residentKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        throw new IllegalStateException("no VmRSS");
    }
}
