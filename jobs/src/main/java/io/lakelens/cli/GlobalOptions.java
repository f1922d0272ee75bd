package io.lakelens.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every lakelens command accepts, before or after the subcommand name. */
public final class GlobalOptions {

    @Option(names = "--warehouse", scope = ScopeType.INHERIT, paramLabel = "DIR|URI",
            description = "Warehouse holding the lakelens tables (default: $LAKELENS_WAREHOUSE or ./lakelens-warehouse).")
    String warehouse;

    @Option(names = "--master", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Spark master, e.g. local[4] or spark://host:7077 (default: local[*], or what spark-submit set).")
    String master;

    @Option(names = "--conf", scope = ScopeType.INHERIT, paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "A Spark setting, passed through to Spark; repeatable.")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Print stack traces on errors and more log output.")
    boolean verbose;

    /** The warehouse to use: the option, else $LAKELENS_WAREHOUSE, else ./lakelens-warehouse. */
    public String warehouse() {
        if (warehouse != null) {
            return warehouse;
        }
        String env = System.getenv("LAKELENS_WAREHOUSE");
        return env != null && !env.isBlank() ? env : io.lakelens.jobs.tables.Warehouse.DEFAULT_LOCATION;
    }

    public boolean verbose() {
        return verbose;
    }
}
