package io.lakelens.cli;

import io.lakelens.jobs.spark.LakelensSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

@Command(name = "sql", mixinStandardHelpOptions = true,
        description = "Query the warehouse with Spark SQL; the lakelens tables are registered as"
                + " lakelens.<table>. With a query (argument or -e) or a script (-f) it runs them and exits;"
                + " without, it opens an interactive shell with history (statements end with ';', 'quit' leaves).")
public final class SqlCommand extends SparkCommand {

    @Parameters(arity = "0..1", paramLabel = "QUERY", description = "A query to run.")
    String query;

    @Option(names = {"-e", "--execute"}, paramLabel = "QUERY", description = "A query to run (same as the argument).")
    String execute;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "A file of ';'-separated statements to run.")
    Path file;

    @Option(names = "--format", paramLabel = "table|tsv", defaultValue = "table",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--max-rows", paramLabel = "N", defaultValue = "1000",
            description = "Rows printed per query at most (default: ${DEFAULT-VALUE}).")
    int maxRows;

    @Override
    protected void validate() {
        if (query != null && execute != null) {
            throw new ParameterException(spec.commandLine(), "give the query either as an argument or with -e, not both");
        }
        if (!format.matches("(?i)table|tsv")) {
            throw new ParameterException(spec.commandLine(), "--format '" + format + "': use table or tsv");
        }
        if (file != null && !Files.isReadable(file)) {
            throw new ParameterException(spec.commandLine(), "-f " + file + ": file not found or not readable");
        }
    }

    @Override
    protected int run(LakelensSession session) throws IOException {
        ResultPrinter printer = new ResultPrinter(ResultPrinter.Format.valueOf(format.toUpperCase(Locale.ROOT)));
        PrintWriter out = spec.commandLine().getOut();
        String text = execute != null ? execute : query;
        if (text != null) {
            for (String statement : SqlScript.split(text)) {
                runStatement(session.spark(), statement, printer, out);
            }
            return 0;
        }
        if (file != null) {
            for (String statement : SqlScript.split(Files.readString(file, StandardCharsets.UTF_8))) {
                runStatement(session.spark(), statement, printer, out);
            }
            return 0;
        }
        return interactive(session.spark(), printer, out);
    }

    private void runStatement(SparkSession spark, String statement, ResultPrinter printer, PrintWriter out) {
        Dataset<Row> df = spark.sql(statement);
        List<Row> rows = df.limit(maxRows + 1).collectAsList();
        boolean more = rows.size() > maxRows;
        printer.print(df.schema(), more ? rows.subList(0, maxRows) : rows, out);
        if (more) {
            out.println("(only the first " + maxRows + " rows are shown; see --max-rows)");
            out.flush();
        }
    }

    private int interactive(SparkSession spark, ResultPrinter printer, PrintWriter out) throws IOException {
        Path history = Path.of(System.getProperty("user.home"), ".lakelens_sql_history");
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .variable(LineReader.HISTORY_FILE, history)
                    .build();
            out.println("lakelens sql on " + global.warehouse() + " -- statements end with ';', 'quit' leaves.");
            StringBuilder pending = new StringBuilder();
            while (true) {
                String line;
                try {
                    line = reader.readLine(pending.length() == 0 ? "lakelens> " : "       -> ");
                } catch (UserInterruptException e) {
                    pending.setLength(0);
                    continue;
                } catch (EndOfFileException e) {
                    return 0;
                }
                String trimmed = line.trim();
                if (pending.length() == 0 && trimmed.matches("(?i)(quit|exit)\\s*;?")) {
                    return 0;
                }
                pending.append(line).append('\n');
                if (!trimmed.endsWith(";")) {
                    continue;
                }
                List<String> statements = new ArrayList<>(SqlScript.split(pending.toString()));
                pending.setLength(0);
                for (String statement : statements) {
                    try {
                        runStatement(spark, statement, printer, out);
                    } catch (RuntimeException e) {
                        out.println("error: " + ErrorMessages.oneLine(e));
                        out.flush();
                    }
                }
            }
        }
    }
}
