package io.lakelens.jobs.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lakelens.notebooks.KernelSpec;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every notebook in {@code notebooks/} runs headless (Jupyter's nbconvert) on the lakelens kernel
 * against a small sample warehouse; a cell that fails fails the build. Skipped when Jupyter is not
 * installed, unless {@code LAKELENS_REQUIRE_JUPYTER=1} (CI). The executed notebooks are kept in
 * {@code jobs/target/notebooks-test/executed} to look at.
 */
class NotebooksTest {

    private static final Path REPO = Path.of(System.getProperty("lakelens.repoRoot"));
    private static final Path WORK = REPO.resolve("jobs").resolve("target").resolve("notebooks-test");

    @Test
    void everyNotebookRunsOnTheSampleWarehouse() throws Exception {
        String nbconvert = findNbconvert();
        List<Path> notebooks;
        try (Stream<Path> s = Files.list(REPO.resolve("notebooks"))) {
            notebooks = s.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertTrue(notebooks.size() >= 3, "expected the three notebooks, found " + notebooks);

        deleteTree(WORK);
        Path warehouse = WORK.resolve("warehouse");
        NotebookWarehouse.write(warehouse);

        Path jupyter = WORK.resolve("jupyter");
        kernelSpec(warehouse).install(jupyter);
        Path executed = Files.createDirectories(WORK.resolve("executed"));

        List<String> failures = new ArrayList<>();
        for (Path nb : notebooks) {
            long t0 = System.nanoTime();
            ProcessBuilder pb = new ProcessBuilder(nbconvert, "--to", "notebook", "--execute",
                    "--ExecutePreprocessor.kernel_name=lakelens-java", "--ExecutePreprocessor.timeout=240",
                    "--ExecutePreprocessor.startup_timeout=120",
                    "--output-dir", executed.toString(), nb.toString());
            pb.directory(REPO.resolve("notebooks").toFile());
            pb.redirectErrorStream(true);
            Path log = executed.resolve(nb.getFileName() + ".log");
            pb.redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.put("JUPYTER_PATH", jupyter.toString());
            env.put("JUPYTER_DATA_DIR", jupyter.toString());
            env.put("JUPYTER_RUNTIME_DIR", Files.createDirectories(WORK.resolve("runtime")).toString());
            env.put("JUPYTER_CONFIG_DIR", Files.createDirectories(WORK.resolve("config")).toString());
            env.put("JUPYTER_PLATFORM_DIRS", "1");
            env.put("LAKELENS_WAREHOUSE", warehouse.toString());
            Process p = pb.start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                failures.add(nb.getFileName() + ": did not finish in 300 s");
                continue;
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            System.out.printf("%s: exit %d in %.1f s%n", nb.getFileName(), p.exitValue(), (System.nanoTime() - t0) / 1e9);
            if (p.exitValue() != 0) {
                failures.add(nb.getFileName() + ": nbconvert exited " + p.exitValue() + "\n" + tail(out, 6000));
                continue;
            }
            String result = Files.readString(executed.resolve(nb.getFileName()), StandardCharsets.UTF_8);
            if (result.contains("\"output_type\": \"error\"")) {
                failures.add(nb.getFileName() + ": a cell has an error output");
            }
            if (!result.contains("\"output_type\": \"display_data\"")) {
                failures.add(nb.getFileName() + ": no table or chart was displayed");
            }
        }
        if (!failures.isEmpty()) {
            fail(String.join("\n\n", failures));
        }
    }

    @Test
    void kernelSpecIsValidJson() {
        String json = kernelSpec(Path.of("/wh \"quoted\"")).json();
        assertTrue(json.contains("\"{connection_file}\""));
        assertTrue(json.contains("\\\"quoted\\\""));
        assertFalse(json.contains("\n  \"argv\": [],"));
        assertEquals("lakelens-java", io.lakelens.notebooks.LakelensKernel.KERNEL_NAME);
    }

    /** The kernel as the test JVM would start it: same Java, same classpath, the launcher's JVM flags. */
    private static KernelSpec kernelSpec(Path warehouse) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // C1 only: the kernel's work is short, and full JIT costs more CPU than it saves (about 45 s against 80 s
        // of CPU for the first notebook on two cores).
        List<String> flags = new ArrayList<>(List.of("-Xmx1g", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dai.djl.offline=true", "-Dspark.sql.shuffle.partitions=2",
                "-Dlakelens.conf.dir=" + REPO.resolve("conf"),
                "-Dlog4j2.configurationFile=" + REPO.resolve("conf").resolve("log4j2.properties"),
                "-Dspark.master=local[2]", "-Dspark.driver.host=127.0.0.1", "-Dspark.driver.bindAddress=127.0.0.1"));
        try {
            Files.readAllLines(REPO.resolve("conf").resolve("jvm-options")).stream()
                    .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(flags::add);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return KernelSpec.direct(java, flags, cp, Map.of("LAKELENS_WAREHOUSE", warehouse.toString()));
    }

    private static String findNbconvert() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "jupyter-nbconvert");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        String msg = "jupyter-nbconvert is not installed (apt-get install jupyter-nbconvert python3-nbclient python3-ipykernel)";
        if ("1".equals(System.getenv("LAKELENS_REQUIRE_JUPYTER"))) {
            fail(msg + " and LAKELENS_REQUIRE_JUPYTER=1");
        }
        Assumptions.assumeTrue(false, msg + "; skipping the notebook test");
        return null;
    }

    private static String tail(String s, int n) {
        return s.length() <= n ? s : "…" + s.substring(s.length() - n);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
