package io.lakelens.jobs.testing;

import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.tables.Warehouse;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * One local Spark session for the whole test JVM (starting Spark costs seconds), attached to a fresh
 * warehouse folder per test class.
 */
public final class SparkTestSession {

    private static SparkSession spark;

    private SparkTestSession() {}

    /** The shared local Spark (2 threads), with lakelens's settings. */
    public static synchronized SparkSession spark() {
        if (spark == null) {
            SparkSession.Builder b = SparkSession.builder()
                    .master("local[2]")
                    .appName("lakelens-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.default.parallelism", "2")
                    .config("spark.databricks.delta.snapshotPartitions", "2")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1");
            LakelensSession.sparkConf(Warehouse.at(System.getProperty("java.io.tmpdir") + "/lakelens-test-wh"))
                    .forEach(b::config);
            spark = b.getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> spark.stop()));
        }
        return spark;
    }

    /** A lakelens session on the shared Spark and the given (empty or existing) warehouse folder. */
    public static LakelensSession on(Path warehouse) {
        return LakelensSession.attach(spark(), Warehouse.at(warehouse.toString()));
    }
}
