package io.lakelens.models.blip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.lakelens.models.clip.NativeHeap;
import io.lakelens.models.generation.GenerationConfig;
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
    void nativeArraysAndNativeMemoryStayFlatOverManyCalls() {
        BlipCaptioner blip = BlipGolden.captioner();
        NDManager weights = blip.model().manager();
        float[] pixels = BlipGolden.concat(IMAGES);
        List<GenerationConfig> configs = configs();
        // Warm up allocator pools and JIT before taking the baseline.
        for (int i = 0; i < 20; i++) {
            blip.generate(pixels, IMAGES.size(), configs.get(i % configs.size()));
        }
        int arraysBefore = weights.getManagedArrays().size();
        long floorBefore = nativeFloor(blip, pixels, configs);
        for (int i = 0; i < 120; i++) {
            blip.generate(pixels, IMAGES.size(), configs.get(i % configs.size()));
            assertEquals(arraysBefore, weights.getManagedArrays().size(), "arrays left behind after call " + i);
        }
        long growth = nativeFloor(blip, pixels, configs) - floorBefore;
        System.out.println("malloc in use (floor) grew by " + (growth >> 10) + " kB over 120 calls");
        // 120 calls create some 100,000 native tensors (each step's logits alone are 0.1-1 MB): a
        // leak of one tensor per step would show as hundreds of megabytes. The floor itself moves by
        // ±15 MB between rounds on some machines (malloc arenas), hence the margin.
        assertTrue(growth < 32L << 20, "native memory in use grew by " + (growth >> 20) + " MB over 120 calls");
    }

    /**
     * The least native (malloc) memory in use over a few calls. Resident memory is no measure here:
     * it includes Java heap pages as they are first touched and freed memory malloc keeps.
     */
    private static long nativeFloor(BlipCaptioner blip, float[] pixels, List<GenerationConfig> configs) {
        long min = Long.MAX_VALUE;
        for (int k = 0; k < configs.size(); k++) {
            blip.generate(pixels, IMAGES.size(), configs.get(k));
            System.gc();
            min = Math.min(min, NativeHeap.inUseBytes());
        }
        return min;
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
}
