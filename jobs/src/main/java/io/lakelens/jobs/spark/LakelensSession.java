package io.lakelens.jobs.spark;

import io.lakelens.jobs.tables.TableCatalog;
import io.lakelens.jobs.tables.Warehouse;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Starts (or joins) the Spark session of a lakelens command: Delta and the lakelens SQL functions
 * enabled, the warehouse's tables registered by name, and settings layered as: lakelens defaults, then {@code conf/spark-defaults.conf}
 * (when run through the launcher), then whatever spark-submit set, then {@code --conf}.
 */
public final class LakelensSession implements AutoCloseable {

    /** Environment variable the launcher sets to the repository's {@code conf/} folder. */
    public static final String CONF_DIR_ENV = "LAKELENS_CONF_DIR";

    private static final String EXTENSIONS = "spark.sql.extensions";

    /** What the packages above add to every session (the SQL functions), from META-INF/services. */
    private static final List<SessionExtension> SESSION_EXTENSIONS =
            ServiceLoader.load(SessionExtension.class, LakelensSession.class.getClassLoader()).stream()
                    .map(ServiceLoader.Provider::get).toList();

    private final SparkSession spark;
    private final Warehouse warehouse;
    private final TableCatalog catalog;

    private final boolean ownsSpark;

    private LakelensSession(SparkSession spark, Warehouse warehouse, boolean ownsSpark) {
        this.spark = spark;
        this.warehouse = warehouse;
        this.catalog = new TableCatalog(spark, warehouse);
        this.ownsSpark = ownsSpark;
    }

    /** Starts Spark with the given options and registers the warehouse's tables. */
    public static LakelensSession start(SessionOptions options) {
        Warehouse warehouse = Warehouse.at(options.warehouse());
        SparkConf conf = new SparkConf(); // picks up spark.* system properties set by spark-submit
        Map<String, String> settings = new LinkedHashMap<>(defaults(warehouse));
        settings.putAll(confFile());
        for (Map.Entry<String, String> e : settings.entrySet()) {
            if (!conf.contains(e.getKey())) {
                conf.set(e.getKey(), e.getValue());
            }
        }
        if (options.master() != null) {
            conf.setMaster(options.master());
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        options.conf().forEach(conf::set);
        // Whatever else lists extensions (a cluster's defaults, --conf), the SQL functions stay.
        conf.set(EXTENSIONS, withSessionExtensions(conf.get(EXTENSIONS, "")));
        if (!conf.contains("spark.app.name")) {
            conf.setAppName(options.appName());
        }
        if (SparkSession.getDefaultSession().isDefined()) {
            // Embedded in a JVM that already runs Spark (a notebook, a test, a server): join it.
            return attach(SparkSession.getDefaultSession().get(), warehouse);
        }
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        LakelensSession session = new LakelensSession(spark, warehouse, true);
        session.catalog.registerExisting();
        return session;
    }

    /**
     * Points an existing Spark session (started with {@link #sparkConf}'s settings) at a warehouse,
     * replacing the lakelens database registered before. Closing the result leaves Spark running.
     * Used by tests and by services that switch warehouses.
     */
    public static LakelensSession attach(SparkSession spark, Warehouse warehouse) {
        spark.sql("DROP DATABASE IF EXISTS " + Warehouse.DATABASE + " CASCADE");
        // A session built without our extensions (a notebook's) still gets the SQL functions.
        SESSION_EXTENSIONS.forEach(e -> e.registerInto(spark));
        LakelensSession session = new LakelensSession(spark, warehouse, false);
        session.catalog.registerExisting();
        return session;
    }

    /** The settings lakelens needs in any Spark session, for callers that build their own. */
    public static Map<String, String> sparkConf(Warehouse warehouse) {
        return defaults(warehouse);
    }

    /** Settings every lakelens session needs, and quiet local-mode choices. */
    static Map<String, String> defaults(Warehouse warehouse) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(EXTENSIONS, withSessionExtensions("io.delta.sql.DeltaSparkSessionExtension"));
        d.put("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
        d.put("spark.sql.catalogImplementation", "in-memory");
        d.put("spark.sql.warehouse.dir", warehouse.root() + "/spark-warehouse");
        d.put("spark.ui.showConsoleProgress", "false");
        d.put("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        return d;
    }

    /** {@code extensions} (a comma-separated class list) with the lakelens session extensions' classes added. */
    static String withSessionExtensions(String extensions) {
        String out = extensions;
        for (SessionExtension extension : SESSION_EXTENSIONS) {
            String name = extension.sparkExtensionClass();
            if (java.util.Arrays.stream(out.split(",")).noneMatch(e -> e.trim().equals(name))) {
                out = out.isBlank() ? name : out + "," + name;
            }
        }
        return out;
    }

    /** {@code $LAKELENS_CONF_DIR/spark-defaults.conf}, if the launcher pointed at one. */
    static Map<String, String> confFile() {
        String dir = System.getenv(CONF_DIR_ENV);
        if (dir == null) {
            dir = System.getProperty("lakelens.conf.dir");
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (dir == null) {
            return out;
        }
        Path file = Path.of(dir, "spark-defaults.conf");
        if (!Files.isRegularFile(file)) {
            return out;
        }
        // Same syntax as Spark's: "key value" or "key=value", '#' comments.
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        p.stringPropertyNames().forEach(k -> out.put(k.trim(), p.getProperty(k).trim()));
        return out;
    }

    public SparkSession spark() {
        return spark;
    }

    public Warehouse warehouse() {
        return warehouse;
    }

    public TableCatalog catalog() {
        return catalog;
    }

    @Override
    public void close() {
        if (ownsSpark) {
            spark.stop();
        }
    }
}
