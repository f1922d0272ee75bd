package io.lakelens.jobs.embed;

import io.lakelens.jobs.LakelensException;
import io.lakelens.jobs.spark.LakelensSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Where {@code lakelens embed-text} reads its texts: a table of the warehouse ({@code lakelens.reference_captions}),
 * a Delta folder, or a file (one text per line in {@code .txt}; a column of a {@code .csv} with header,
 * {@code .json}/{@code .jsonl} or {@code .parquet}).
 */
final class TextInput {

    /** Column that holds the text in a {@code .txt} file (Spark's text source calls it so). */
    private static final String TEXT_FILE_COLUMN = "value";

    private TextInput() {}

    /**
     * Reads the input as one string column named {@code text}.
     *
     * @param input a table name or a path/URI
     * @param column the text column; null means {@code text} (or the line itself for {@code .txt})
     */
    static Dataset<Row> read(LakelensSession session, String input, String column) {
        SparkSession spark = session.spark();
        Dataset<Row> rows;
        String defaultColumn = "text";
        if (isTable(spark, input)) {
            rows = spark.table(input);
        } else {
            String location = location(input);
            String lower = input.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".txt")) {
                rows = spark.read().text(location);
                defaultColumn = TEXT_FILE_COLUMN;
            } else if (lower.endsWith(".csv")) {
                rows = spark.read().option("header", "true").option("multiLine", "true").csv(location);
            } else if (lower.endsWith(".json") || lower.endsWith(".jsonl")) {
                rows = spark.read().json(location);
                if (Arrays.asList(rows.columns()).contains("_corrupt_record")) {
                    throw new LakelensException("--input " + input + ": not valid JSON lines (one JSON object per line)");
                }
            } else if (lower.endsWith(".parquet")) {
                rows = spark.read().parquet(location);
            } else if (isDeltaFolder(input)) {
                rows = spark.read().format("delta").load(location);
            } else {
                throw new LakelensException("--input " + input + ": not a table of the warehouse nor a .txt, .csv, .json,"
                        + " .jsonl or .parquet file or Delta folder");
            }
        }
        String name = column == null ? defaultColumn : column;
        if (!Arrays.asList(rows.columns()).contains(name)) {
            throw new LakelensException("--input " + input + " has no column '" + name + "' (columns: "
                    + String.join(", ", rows.columns()) + "); name the text column with --column");
        }
        return rows.selectExpr("CAST(`" + name.replace("`", "``") + "` AS STRING) AS text");
    }

    private static boolean isTable(SparkSession spark, String input) {
        if (input.contains("/") || input.contains("\\") || input.contains(":")) {
            return false;
        }
        return spark.catalog().tableExists(input);
    }

    private static boolean isDeltaFolder(String input) {
        Path p = Path.of(input);
        return Files.isDirectory(p.resolve("_delta_log"));
    }

    /** A local path as an absolute file URI (Spark resolves relative paths against the default FS). */
    private static String location(String input) {
        if (input.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*")) {
            return input;
        }
        Path p = Path.of(input).toAbsolutePath().normalize();
        if (!Files.exists(p)) {
            throw new LakelensException("--input " + input + ": no such file or table");
        }
        return p.toUri().toString();
    }
}
