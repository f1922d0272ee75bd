package io.lakelens.models.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.models.runtime.ComputeDevice;
import io.lakelens.models.runtime.TorchRuntime;
import io.lakelens.models.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The array API as Spark executors use it: many batches, several threads, flat native memory. */
class ClipInferenceTest {

    private static ClipEmbedder model;
    private static float[] pixels;
    private static final List<String> TEXTS = List.of("a photo of a cat", "two dogs", "");

    @BeforeAll
    static void load() {
        // Tiny tensors gain nothing from a second thread, and on a shared machine waiting for it
        // at every operator costs milliseconds.
        TorchRuntime.start(1);
        model = ClipEmbedder.load(Fixtures.clipTiny(), ComputeDevice.cpu());
        List<String> names = ClipGolden.imageNames().subList(0, 2);
        int per = model.config().vision().pixelsPerImage();
        pixels = new float[names.size() * per];
        for (int i = 0; i < names.size(); i++) {
            System.arraycopy(ClipGolden.pixelValues(names.get(i)), 0, pixels, i * per, per);
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static void embedPairs(int count) {
        for (int i = 0; i < count; i++) {
            model.embedImages(pixels, 2);
            model.embedTexts(TEXTS);
        }
    }

    /**
     * The least native memory in use over a few samples. The malloc heap swings by 10-20 MB
     * between samples (direct buffers waiting for the collector, JIT compiler arenas); the
     * minimum is steady, and a leak raises it.
     */
    private static long nativeFloor() {
        long min = Long.MAX_VALUE;
        for (int sample = 0; sample < 5; sample++) {
            embedPairs(50);
            System.gc();
            min = Math.min(min, NativeHeap.inUseBytes());
        }
        return min;
    }

    @Test
    void nativeMemoryStaysFlatOver2000Batches() {
        embedPairs(200);
        int arraysBefore = model.model().manager().getManagedArrays().size();
        long floorBefore = nativeFloor();
        embedPairs(2000);
        long floorAfter = nativeFloor();
        int arraysAfter = model.model().manager().getManagedArrays().size();
        System.out.println("managed arrays " + arraysBefore + " -> " + arraysAfter
                + ", malloc in use (floor) " + floorBefore / 1024 + " kB -> " + floorAfter / 1024 + " kB");
        assertEquals(arraysBefore, arraysAfter, "arrays left attached to the model's manager or a sub-manager");
        // A batch of this model makes hundreds of arrays (~100 kB); leaking even a small part of
        // each of 2,250 image+text batches would raise the floor by tens of megabytes. On some
        // machines (AMD EPYC here) the floor wanders by ±6 MB without any trend, hence the margin.
        assertTrue(floorAfter - floorBefore < 16L << 20,
                "native memory in use rose from " + floorBefore + " to " + floorAfter + " bytes over 2,250 batches");
    }

    @Test
    void concurrentCallersGetTheSequentialResults() throws Exception {
        float[][] images = model.embedImages(pixels, 2);
        float[][] texts = model.embedTexts(TEXTS);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        ClipGolden.assertClose(images, model.embedImages(pixels, 2), 1e-6, "images");
                        ClipGolden.assertClose(texts, model.embedTexts(TEXTS), 1e-6, "texts");
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void similarityEdgeCases() {
        float[][] images = model.embedImages(pixels, 2);
        assertEquals(0, model.similarity(new float[0][], images).length);
        float[][] noTexts = model.similarity(images, new float[0][]);
        assertEquals(2, noTexts.length);
        assertEquals(0, noTexts[0].length);
        assertThrows(IllegalArgumentException.class, () -> model.similarity(images, new float[][] {new float[3]}));
        // Unnormalised rows give the same logits: similarity uses cosines.
        ClipGolden.assertClose(model.similarity(images, images),
                model.similarity(model.embedImagesUnnormalized(pixels, 2), images), 1e-4, "cosine");
        assertTrue(Float.isNaN(model.similarity(new float[][] {new float[16]}, images)[0][0]));
        assertEquals(0, model.embedTexts(List.of()).length);
    }

    @Test
    void closedModelRefusesWork() {
        ClipEmbedder other = ClipEmbedder.load(Fixtures.clipTiny(), ComputeDevice.cpu());
        other.close();
        other.close();
        assertThrows(IllegalStateException.class, () -> other.embedImages(pixels, 2));
    }
}
