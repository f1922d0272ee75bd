package io.lakelens.cli;

import io.lakelens.jobs.dashboard.DashboardData;
import io.lakelens.jobs.dashboard.DashboardServer;
import io.lakelens.jobs.dashboard.DashboardSite;
import io.lakelens.jobs.dashboard.SiteWriter;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.tables.Warehouse;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = "Evaluation dashboards from the warehouse's tables: runs over time, zero-shot, caption,"
                + " retrieval and fine-tuning pages. Writes a static site that opens offline (default"
                + " <warehouse>/dashboard), or with --serve serves the pages live on 127.0.0.1, read from the"
                + " tables on every page load.")
public final class DashboardCommand extends SparkCommand {

    @Option(names = "--out", paramLabel = "DIR",
            description = "Folder to write the site to (default: <warehouse>/dashboard for a local warehouse).")
    Path out;

    @Option(names = "--serve", description = "Serve the pages live on 127.0.0.1 until stopped (Ctrl-C) instead of writing files.")
    boolean serve;

    @Option(names = "--port", paramLabel = "P",
            description = "Port for --serve (default: 8080; 0 picks a free port).")
    Integer port;

    @Option(names = "--gallery-limit", paramLabel = "N", defaultValue = "" + DashboardData.DEFAULT_GALLERY_LIMIT,
            description = "Images shown on a caption run's page at most: the lowest and highest CIDEr (default: ${DEFAULT-VALUE}).")
    int galleryLimit;

    @Override
    protected void validate() {
        if (serve && out != null) {
            throw new ParameterException(spec.commandLine(), "--out writes files and --serve serves them: give one");
        }
        if (!serve && port != null) {
            throw new ParameterException(spec.commandLine(), "--port needs --serve");
        }
        if (port != null && (port < 0 || port > 65535)) {
            throw new ParameterException(spec.commandLine(), "--port " + port + ": use 0 to 65535");
        }
        if (galleryLimit < 2) {
            throw new ParameterException(spec.commandLine(), "--gallery-limit " + galleryLimit + ": use 2 or more");
        }
        if (!serve && out == null && !Warehouse.at(global.warehouse()).isLocal()) {
            throw new ParameterException(spec.commandLine(),
                    "the warehouse " + global.warehouse() + " is not local: give --out DIR for the site");
        }
    }

    @Override
    protected int run(LakelensSession session) throws Exception {
        DashboardData data = new DashboardData(session, galleryLimit);
        PrintWriter printer = spec.commandLine().getOut();
        if (serve) {
            return serve(data, printer);
        }
        Path root = out != null ? out : session.warehouse().localRoot().resolve("dashboard");
        SiteWriter.Summary summary = new SiteWriter(data, new DashboardSite(false)).write(root);
        printer.println("lakelens dashboard: wrote " + summary.pages() + " pages and " + summary.thumbnails()
                + " new thumbnails; open " + summary.index().toAbsolutePath().toUri());
        printer.flush();
        return 0;
    }

    private int serve(DashboardData data, PrintWriter printer) throws Exception {
        DashboardServer server = DashboardServer.start(data, new DashboardSite(true), port == null ? 8080 : port);
        Thread stopOnExit = new Thread(server::close, "lakelens-dashboard-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        printer.println("lakelens dashboard: serving " + server.url() + " (Ctrl-C stops)");
        printer.flush();
        try {
            server.awaitStop();
        } catch (InterruptedException e) {
            // Stopped by whoever ran us in-process (a test, an embedding application).
            Thread.currentThread().interrupt();
        } finally {
            server.close();
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down (Ctrl-C): the hook is running.
            }
        }
        return 0;
    }
}
