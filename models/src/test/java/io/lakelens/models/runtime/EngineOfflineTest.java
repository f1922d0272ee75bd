package io.lakelens.models.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DJL's PyTorch engine must start from the natives on the classpath alone: a fresh JVM with an empty
 * DJL cache, offline mode and every HTTP(S) connection routed to a closed port still loads it.
 */
class EngineOfflineTest {

    /** Runs in the child JVM. */
    public static void main(String[] args) {
        Engine engine = TorchRuntime.start(1);
        try (NDManager m = engine.newBaseManager()) {
            float sum = m.create(new float[] {1f, 2f, 3f}).sum().getFloat();
            System.out.println("engine=" + engine.getEngineName() + " version=" + engine.getVersion()
                    + " sum=" + sum + " threads=" + TorchRuntime.intraOpThreads());
        }
    }

    @Test
    void pytorchLoadsFromClasspathWithoutNetwork(@TempDir Path djlCache) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(
                        java,
                        "-DDJL_CACHE_DIR=" + djlCache,
                        "-DENGINE_CACHE_DIR=" + djlCache,
                        "-Dai.djl.offline=true",
                        "-Dhttp.proxyHost=127.0.0.1", "-Dhttp.proxyPort=9",
                        "-Dhttps.proxyHost=127.0.0.1", "-Dhttps.proxyPort=9",
                        "-cp", System.getProperty("java.class.path"),
                        EngineOfflineTest.class.getName()))
                .redirectErrorStream(true)
                .start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(done, "engine start timed out: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("engine=PyTorch version=2.7.1 sum=6.0 threads=1"), out);
        try (var files = Files.walk(djlCache)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("libtorch")),
                    "natives were not extracted from the classpath into the empty cache");
        }
    }
}
