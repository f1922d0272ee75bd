package io.lakelens.jobs.testing;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark standalone cluster on loopback for tests: a master and N workers, each in its own JVM,
 * started from this JVM's classpath. Workers launch executors through {@code SPARK_HOME}, so a
 * stand-in SPARK_HOME is made whose {@code jars/} links the classpath's jars; class folders (the
 * modules' target/classes) reach executors through {@code spark.executor.extraClassPath}.
 */
public final class StandaloneCluster implements AutoCloseable {

    private final Path home;
    private final List<Process> processes = new ArrayList<>();
    private final String masterUrl;
    private final String executorClassPath;

    private StandaloneCluster(Path home, String masterUrl, String executorClassPath) {
        this.home = home;
        this.masterUrl = masterUrl;
        this.executorClassPath = executorClassPath;
    }

    /** Starts a master and {@code workers} workers of one core each, and waits until all registered. */
    public static StandaloneCluster start(Path dir, int workers) throws IOException, InterruptedException {
        Path home = dir.resolve("spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        List<String> folders = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                folders.add(p.toAbsolutePath().toString());
            } else if (entry.endsWith(".jar") && Files.exists(p)) {
                Path link = jars.resolve(p.getFileName().toString());
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, p.toAbsolutePath());
                }
            }
        }
        int port = freePort();
        int masterUi = freePort();
        String masterUrl = "spark://127.0.0.1:" + port;
        StandaloneCluster cluster = new StandaloneCluster(home, masterUrl, String.join(File.pathSeparator, folders));
        try {
            cluster.spawn(dir.resolve("master.log"), List.of(
                    "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", Integer.toString(port),
                    "--webui-port", Integer.toString(masterUi)), dir);
            for (int i = 0; i < workers; i++) {
                Path workDir = Files.createDirectories(dir.resolve("worker-" + i));
                cluster.spawn(dir.resolve("worker-" + i + ".log"), List.of(
                        "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
                        "--memory", "2g", "--webui-port", Integer.toString(freePort()),
                        "--work-dir", workDir.toString(), masterUrl), dir);
            }
            cluster.awaitWorkers(masterUi, workers, dir);
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public String masterUrl() {
        return masterUrl;
    }

    /** Settings a driver needs to run its executors on this cluster. */
    public Map<String, String> driverConf() {
        return Map.of(
                "spark.executor.extraClassPath", executorClassPath,
                "spark.executor.memory", "1g",
                "spark.driver.host", "127.0.0.1",
                "spark.driver.bindAddress", "127.0.0.1",
                "spark.executor.extraJavaOptions", String.join(" ", jvmOptions()) + " -Dai.djl.offline=true");
    }

    /** JVM flags of this JVM that the cluster's JVMs need too (the add-opens list). */
    public static List<String> jvmOptions() {
        List<String> out = new ArrayList<>();
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("-Djdk.reflect")) {
                out.add(arg);
            }
        }
        return out;
    }

    private void spawn(Path log, List<String> mainAndArgs, Path dir) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.addAll(jvmOptions());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.12");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_LOG_DIR", dir.toString());
        processes.add(pb.start());
    }

    private void awaitWorkers(int masterUi, int expected, Path dir) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Pattern alive = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a cluster JVM died; logs in " + dir);
                }
            }
            try {
                String json = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUi + "/json/")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                Matcher m = alive.matcher(json);
                if (m.find() && Integer.parseInt(m.group(1)) >= expected) {
                    return;
                }
            } catch (IOException e) {
                // master not up yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("workers did not register within 120 s; logs in " + dir);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
