package io.lakelens.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.jobs.demo.DemoModels;
import io.lakelens.jobs.demo.DemoPipeline;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.testing.SparkTestSession;
import io.lakelens.jobs.testing.StandaloneCluster;
import io.lakelens.jobs.testing.TinyModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main path (ingest → embed → caption → zero-shot) run by the CLI as a driver on a Spark
 * standalone cluster (a master and two workers, each its own JVM, on loopback) gives the same tables
 * as local mode.
 */
class StandaloneClusterTest {

    @TempDir
    Path tmp;

    @Test
    void clusterRunEqualsLocalRun() throws Exception {
        Path samples = smallSampleSet();
        Path clusterWarehouse = tmp.resolve("cluster-wh");
        try (StandaloneCluster cluster = StandaloneCluster.start(tmp.resolve("cluster"), 2)) {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx1g");
            cmd.addAll(StandaloneCluster.jvmOptions());
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add("io.lakelens.cli.LakelensCli");
            cmd.addAll(List.of("--master", cluster.masterUrl(), "--warehouse", clusterWarehouse.toString()));
            for (Map.Entry<String, String> e : cluster.driverConf().entrySet()) {
                cmd.addAll(List.of("--conf", e.getKey() + "=" + e.getValue()));
            }
            cmd.addAll(List.of("--conf", "spark.sql.shuffle.partitions=4", "--conf", "spark.ui.enabled=false"));
            cmd.addAll(List.of("demo", "--samples", samples.toString(),
                    "--clip-model", TinyModels.clip().toString(), "--blip-model", TinyModels.blip().toString()));
            Path log = tmp.resolve("driver.log");
            Process driver = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean done = driver.waitFor(30, TimeUnit.MINUTES);
            String output = Files.readString(log);
            if (!done) {
                driver.destroyForcibly();
            }
            assertTrue(done, "cluster driver timed out:\n" + output);
            assertEquals(0, driver.exitValue(), output);
            assertTrue(output.contains("read 10 = ingested 10 + duplicates 0 + quarantined 0"), output);
        }

        try (LakelensSession local = SparkTestSession.on(tmp.resolve("local-wh"))) {
            new DemoPipeline(local, new PrintStream(new ByteArrayOutputStream())).run(samples,
                    // Models given explicitly, as on the cluster's command line: same choice, same templates.
                    new DemoModels.Choice(TinyModels.clip().toString(), TinyModels.blip().toString(), null));
            List<Row> localImages = rows(local, "SELECT image_id, label, split, width, height, format, color_mode, byte_size"
                    + " FROM lakelens.images ORDER BY image_id");
            List<Row> localCaptions = rows(local, "SELECT image_id, caption, token_ids FROM lakelens.generated_captions ORDER BY image_id");
            List<Row> localPredictions = rows(local, "SELECT image_id, predicted_label, top_labels FROM lakelens.eval_predictions ORDER BY image_id");
            List<Row> localEmbeddings = rows(local, "SELECT image_id, embedding FROM lakelens.image_embeddings ORDER BY image_id");

            try (LakelensSession fromCluster = SparkTestSession.on(clusterWarehouse)) {
                assertEquals(localImages, rows(fromCluster, "SELECT image_id, label, split, width, height, format, color_mode,"
                        + " byte_size FROM lakelens.images ORDER BY image_id"));
                assertEquals(localCaptions, rows(fromCluster, "SELECT image_id, caption, token_ids FROM lakelens.generated_captions ORDER BY image_id"));
                assertEquals(localPredictions, rows(fromCluster, "SELECT image_id, predicted_label, top_labels FROM lakelens.eval_predictions ORDER BY image_id"));
                List<Row> clusterEmbeddings = rows(fromCluster, "SELECT image_id, embedding FROM lakelens.image_embeddings ORDER BY image_id");
                assertEquals(localEmbeddings.size(), clusterEmbeddings.size());
                for (int i = 0; i < localEmbeddings.size(); i++) {
                    assertEquals(localEmbeddings.get(i).getString(0), clusterEmbeddings.get(i).getString(0));
                    List<Float> a = localEmbeddings.get(i).getList(1);
                    List<Float> b = clusterEmbeddings.get(i).getList(1);
                    for (int d = 0; d < a.size(); d++) {
                        // Different batch compositions may change float32 rounding, nothing more.
                        assertEquals(a.get(d), b.get(d), 1e-5f);
                    }
                }
            }
        }
    }

    /**
     * Ten of the bundled samples, one per class (the same files, linked): the cluster's JVMs share
     * two cores with the test, so the comparison is kept small; it is about equality, not size.
     */
    private Path smallSampleSet() throws java.io.IOException {
        Path all = TinyModels.samplesManifest().getParent();
        Path small = Files.createDirectories(tmp.resolve("samples"));
        List<String> lines = Files.readAllLines(all.resolve("manifest.jsonl"));
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < lines.size(); i += 8) {
            picked.add(lines.get(i));
        }
        Files.write(small.resolve("manifest.jsonl"), picked);
        Files.copy(all.resolve("labels.txt"), small.resolve("labels.txt"));
        try (java.util.stream.Stream<Path> entries = Files.list(all)) {
            for (Path dir : entries.filter(Files::isDirectory).toList()) {
                Files.createSymbolicLink(small.resolve(dir.getFileName().toString()), dir.toAbsolutePath());
            }
        }
        return small;
    }

    private static List<Row> rows(LakelensSession s, String sql) {
        return s.spark().sql(sql).collectAsList();
    }
}
