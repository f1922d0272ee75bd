package io.lakelens.jobs.spark;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to start Spark for a lakelens command.
 *
 * @param appName the application name shown in the Spark UI and logs
 * @param warehouse warehouse location (local folder or URI)
 * @param master Spark master, or null to keep what spark-submit set (else {@code local[*]})
 * @param conf extra Spark settings, highest precedence
 */
public record SessionOptions(String appName, String warehouse, String master, Map<String, String> conf) {

    public SessionOptions {
        conf = conf == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(conf));
    }

    public static SessionOptions local(String appName, String warehouse) {
        return new SessionOptions(appName, warehouse, null, Map.of());
    }

    public SessionOptions withConf(String key, String value) {
        Map<String, String> c = new LinkedHashMap<>(conf);
        c.put(key, value);
        return new SessionOptions(appName, warehouse, master, c);
    }

    public SessionOptions withMaster(String newMaster) {
        return new SessionOptions(appName, warehouse, newMaster, conf);
    }
}
