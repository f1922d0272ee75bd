package io.lakelens.jobs.spark;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * A serialisable copy of the driver's Hadoop configuration, so executors open files (local, HDFS,
 * S3 ...) with the same settings and credentials the session was given.
 */
public final class HadoopConf implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Map<String, String> entries;
    private transient Configuration configuration;

    private HadoopConf(Map<String, String> entries) {
        this.entries = entries;
    }

    public static HadoopConf of(Configuration conf) {
        Map<String, String> map = new HashMap<>();
        conf.forEach(e -> map.put(e.getKey(), e.getValue()));
        return new HadoopConf(map);
    }

    /** The configuration, rebuilt once per deserialised copy. */
    public synchronized Configuration get() {
        if (configuration == null) {
            Configuration c = new Configuration(false);
            entries.forEach(c::set);
            configuration = c;
        }
        return configuration;
    }
}
