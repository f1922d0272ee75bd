package io.lakelens.cli;

import io.lakelens.jobs.LakelensException;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.sql.SqlServer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "sql-server", mixinStandardHelpOptions = true,
        description = "Serve the warehouse over JDBC/ODBC (Spark's Thrift server, HiveServer2 protocol) for"
                + " beeline, DBeaver and BI tools: the lakelens tables and SQL functions in every connection."
                + " Prints the JDBC URL and serves until Ctrl-C.")
public final class SqlServerCommand extends SparkCommand {

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}). Any other than loopback needs --password-file.")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "10000",
            description = "TCP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "Require a user and password: one USER:PASSWORD a line ('#' comments). Keep it readable by you only.")
    Path passwordFile;

    @Option(names = "--table-refresh", paramLabel = "SECONDS", defaultValue = "30",
            description = "How often to look for lakelens tables created while serving, e.g. by a first"
                    + " `lakelens embed` (default: ${DEFAULT-VALUE}; 0: never).")
    int tableRefreshSeconds;

    // Released by Ctrl-C (the JVM's shutdown), or by interrupting the thread that runs the command.
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    protected void validate() {
        if (port < 1 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port " + port + ": use 1 to 65535");
        }
        if (tableRefreshSeconds < 0) {
            throw new ParameterException(spec.commandLine(), "--table-refresh " + tableRefreshSeconds + ": use 0 or more seconds");
        }
        if (passwordFile != null && !Files.isReadable(passwordFile)) {
            throw new ParameterException(spec.commandLine(), "--password-file " + passwordFile + ": file not found or not readable");
        }
        try {
            SqlServer.requirePasswordOffLoopback(host, passwordFile);
        } catch (LakelensException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    protected int run(LakelensSession session) {
        PrintWriter out = spec.commandLine().getOut();
        boolean interrupted = false;
        try (SqlServer server = SqlServer.start(session, new SqlServer.Options(host, port, passwordFile, tableRefreshSeconds))) {
            Thread hook = new Thread(stopped::countDown, "lakelens-sql-server-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            out.println("lakelens sql-server on " + global.warehouse() + " -- JDBC URL: " + server.jdbcUrl());
            out.println("  beeline -u '" + server.jdbcUrl() + "'" + (passwordFile == null ? "" : " -n USER -p PASSWORD"));
            out.println("Ctrl-C stops it.");
            out.flush();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                // Restored after the server stops: its shutdown waits for running statements.
                interrupted = true;
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the JVM is already running its hooks.
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
