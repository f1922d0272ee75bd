package io.lakelens.jobs.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.split;

import io.lakelens.jobs.LakelensException;
import io.lakelens.jobs.spark.HadoopConf;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Turns {@code --source} into the list of files to ingest, as a distributed table of candidates
 * {@code (uri, label, split, captions, origin)}: nothing here collects the file list on the driver.
 */
public final class IngestSource {

    /** The candidates' schema. {@code origin} says where a row came from, e.g. "manifest.csv line 7". */
    public static final StructType CANDIDATE_SCHEMA = new StructType()
            .add("uri", DataTypes.StringType, false)
            .add("label", DataTypes.StringType, true)
            .add("split", DataTypes.StringType, true)
            .add("captions", DataTypes.createArrayType(DataTypes.StringType, false), true)
            .add("origin", DataTypes.StringType, false);

    /** The kinds of source. */
    public enum Kind { DIRECTORY, GLOB, MANIFEST }

    private IngestSource() {}

    /**
     * The candidates of a source.
     *
     * @throws LakelensException if the source does not exist or a manifest is malformed
     */
    public static Dataset<Row> candidates(SparkSession spark, IngestOptions options, String scratchDir) {
        String location = qualify(options.source());
        Kind kind = kindOf(spark, location);
        if (options.labels() == IngestOptions.LabelSource.COLUMN && kind != Kind.MANIFEST) {
            throw new LakelensException("--labels column needs a manifest source; " + options.source()
                    + " is a " + kind.name().toLowerCase(Locale.ROOT) + " (use --labels folder)");
        }
        if (options.captionsColumn() != null && kind != Kind.MANIFEST) {
            throw new LakelensException("--captions needs a manifest source with a captions column; "
                    + options.source() + " is a " + kind.name().toLowerCase(Locale.ROOT));
        }
        if (kind == Kind.MANIFEST) {
            return ManifestReader.read(spark, location, options);
        }
        Dataset<Row> files = listFiles(spark, location, kind == Kind.GLOB, scratchDir).select(col("value").as("uri"));
        boolean folderLabels = options.labels() == null || options.labels() == IngestOptions.LabelSource.FOLDER;
        return files.select(
                col("uri"),
                folderLabels ? element_at(split(col("uri"), "/"), -2).as("label") : lit(null).cast("string").as("label"),
                lit(null).cast("string").as("split"),
                lit(null).cast("array<string>").as("captions"),
                col("uri").as("origin"));
    }

    private static Dataset<Row> listFiles(SparkSession spark, String location, boolean glob, String scratchDir) {
        try {
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(URI.create(location.replace(" ", "%20")));
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            org.apache.hadoop.fs.Path listFile = new org.apache.hadoop.fs.Path(scratchDir, "files.txt");
            FileLister.list(fs, path, glob, listFile.getFileSystem(spark.sparkContext().hadoopConfiguration()), listFile);
            return spark.read().text(listFile.toString());
        } catch (IOException e) {
            throw new LakelensException("--source " + location + ": cannot list files (" + e.getMessage() + ")", e);
        }
    }

    /** A local path made absolute as a {@code file:} URI; URIs with a scheme are kept. */
    static String qualify(String source) {
        if (source.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:/.*")) {
            return source;
        }
        String abs = Path.of(source).toAbsolutePath().normalize().toString();
        return "file:" + abs;
    }

    static Kind kindOf(SparkSession spark, String location) {
        try {
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(URI.create(location.replace(" ", "%20")));
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (location.matches(".*[*?\\[{].*")) {
                FileStatus[] matches = fs.globStatus(path);
                if (matches == null || matches.length == 0) {
                    throw new LakelensException("--source " + location + ": the glob matches no files");
                }
                return Kind.GLOB;
            }
            if (!fs.exists(path)) {
                throw new LakelensException("--source " + location + ": no such file or directory");
            }
            if (fs.getFileStatus(path).isDirectory()) {
                return Kind.DIRECTORY;
            }
            String name = path.getName().toLowerCase(Locale.ROOT);
            if (name.endsWith(".csv") || name.endsWith(".json") || name.endsWith(".jsonl")
                    || name.endsWith(".parquet")) {
                return Kind.MANIFEST;
            }
            throw new LakelensException("--source " + location
                    + ": not a directory, a glob or a manifest (.csv, .json, .jsonl, .parquet)");
        } catch (IOException e) {
            throw new LakelensException("--source " + location + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    static HadoopConf hadoopConf(SparkSession spark) {
        return HadoopConf.of(spark.sparkContext().hadoopConfiguration());
    }
}
