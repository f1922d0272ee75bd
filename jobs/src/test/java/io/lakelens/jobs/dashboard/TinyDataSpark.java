package io.lakelens.jobs.dashboard;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Runs the shared test Spark without code generation while a dashboard test class runs: its tables
 * hold a dozen rows, and compiling code for each new query plan costs far more than interpreting it.
 * The settings are put back afterwards for the other test classes of the JVM.
 */
final class TinyDataSpark {

    private static final Map<String, String> SETTINGS = Map.of(
            "spark.sql.codegen.wholeStage", "false",
            "spark.sql.codegen.factoryMode", "NO_CODEGEN");

    private static Map<String, String> saved;

    private TinyDataSpark() {}

    static synchronized void enable(SparkSession spark) {
        if (saved != null) {
            return;
        }
        saved = new LinkedHashMap<>();
        SETTINGS.forEach((k, v) -> {
            saved.put(k, spark.conf().get(k, null));
            spark.conf().set(k, v);
        });
    }

    static synchronized void restore(SparkSession spark) {
        if (saved == null) {
            return;
        }
        saved.forEach((k, v) -> {
            if (v == null) {
                spark.conf().unset(k);
            } else {
                spark.conf().set(k, v);
            }
        });
        saved = null;
    }
}
