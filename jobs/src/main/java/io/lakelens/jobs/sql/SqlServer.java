package io.lakelens.jobs.sql;

import io.lakelens.jobs.LakelensException;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.tables.TableCatalog;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.hive.thriftserver.HiveThriftServer2;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spark's Thrift JDBC/ODBC server (HiveServer2 protocol) on a lakelens session: every connection
 * gets its own Spark session with the lakelens tables ({@code lakelens.<table>}) and SQL functions.
 * Clients: beeline, DBeaver, any Hive JDBC driver, at {@link #jdbcUrl()}.
 */
public final class SqlServer implements AutoCloseable {

    /**
     * How to serve.
     *
     * @param host address to bind; only a loopback address may go without a password file
     * @param port TCP port
     * @param passwordFile {@code USER:PASSWORD} lines ({@link PasswordFile}), or null for no authentication
     * @param tableRefreshSeconds how often to look for tables created since the server started
     *     (a first {@code lakelens embed} while it serves, say); 0 never
     */
    public record Options(String host, int port, Path passwordFile, int tableRefreshSeconds) {}

    private static final Logger LOG = LoggerFactory.getLogger(SqlServer.class);

    private final HiveThriftServer2 server;
    private final Options options;
    private final ScheduledExecutorService refresher;

    private SqlServer(HiveThriftServer2 server, Options options, ScheduledExecutorService refresher) {
        this.server = server;
        this.options = options;
        this.refresher = refresher;
    }

    /** Starts serving; returns once the port accepts connections. */
    public static SqlServer start(LakelensSession session, Options options) {
        requirePasswordOffLoopback(options.host(), options.passwordFile());
        // A session of its own: the hive.server2.* settings below stay out of the caller's.
        SparkSession spark = session.spark().newSession();
        spark.conf().set("hive.server2.thrift.bind.host", options.host());
        spark.conf().set("hive.server2.thrift.port", Integer.toString(options.port()));
        spark.conf().set("hive.server2.transport.mode", "binary");
        if (options.passwordFile() != null) {
            PasswordAuthenticator.use(PasswordFile.read(options.passwordFile()));
            spark.conf().set("hive.server2.authentication", "CUSTOM");
            // Read by the server from a fresh HiveConf, which only sees system properties.
            System.setProperty("hive.server2.custom.authentication.class", PasswordAuthenticator.class.getName());
        } else {
            spark.conf().set("hive.server2.authentication", "NONE");
        }
        HiveThriftServer2 server = HiveThriftServer2.startWithContext(spark.sqlContext());
        ScheduledExecutorService refresher = null;
        if (options.tableRefreshSeconds() > 0) {
            // Every connection shares this catalog; tables are registered by path, so one that a job
            // creates later is invisible until registered here.
            TableCatalog catalog = new TableCatalog(spark, session.warehouse());
            refresher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "lakelens-sql-server-tables");
                t.setDaemon(true);
                return t;
            });
            refresher.scheduleWithFixedDelay(() -> {
                try {
                    catalog.registerExisting();
                } catch (RuntimeException e) {
                    LOG.warn("sql-server: could not look for new tables: {}", e.getMessage());
                }
            }, options.tableRefreshSeconds(), options.tableRefreshSeconds(), TimeUnit.SECONDS);
        }
        return new SqlServer(server, options, refresher);
    }

    /** A JDBC URL for clients: {@code jdbc:hive2://HOST:PORT/lakelens}. */
    public String jdbcUrl() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        if (host.equals("0.0.0.0") || host.equals("[::]")) {
            host = localHostName();
        }
        return "jdbc:hive2://" + host + ":" + options.port() + "/lakelens";
    }

    @Override
    public void close() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
        server.stop();
    }

    /** Off the loopback interface anyone on the network could read the warehouse: require a password. */
    public static void requirePasswordOffLoopback(String host, Path passwordFile) {
        if (passwordFile != null) {
            return;
        }
        boolean loopback;
        try {
            loopback = InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new LakelensException("--host " + host + ": unknown host");
        }
        if (!loopback) {
            throw new LakelensException("--host " + host + " is reachable from other machines: give --password-file"
                    + " (USER:PASSWORD lines) or bind to 127.0.0.1");
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
