package io.lakelens.jobs.ingest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakelens.jobs.LakelensException;
import io.lakelens.jobs.spark.HadoopConf;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads an ingest manifest (CSV with a header, JSON Lines, or Parquet) into candidates, and checks
 * it before anything is ingested: a missing column, an empty path or a file that does not exist
 * fails the job with a message naming the manifest, the line and the column.
 *
 * <p>Paths in the manifest are relative to the manifest's folder unless absolute or URIs. In CSV a
 * captions cell holds one caption or a JSON list of captions.
 */
final class ManifestReader {

    static final String PATH_COLUMN = "path";
    private static final int MAX_REPORTED_ERRORS = 5;

    private ManifestReader() {}

    static Dataset<Row> read(SparkSession spark, String location, IngestOptions options) {
        String lower = location.toLowerCase(Locale.ROOT);
        boolean csv = lower.endsWith(".csv");
        Dataset<Row> raw;
        try {
            if (csv) {
                raw = spark.read().option("header", "true").option("mode", "PERMISSIVE").csv(location);
            } else if (lower.endsWith(".parquet")) {
                raw = spark.read().parquet(location);
            } else {
                raw = spark.read().option("mode", "PERMISSIVE")
                        .option("columnNameOfCorruptRecord", "_corrupt_record").json(location);
            }
        } catch (RuntimeException e) {
            throw new LakelensException(location + ": cannot read manifest (" + firstLine(e.getMessage()) + ")", e);
        }
        StructType schema = raw.schema();
        List<String> columns = Arrays.asList(schema.fieldNames());
        requireColumn(location, columns, PATH_COLUMN, "the image path");
        // Without --labels a manifest's label column is used when it has one.
        IngestOptions.LabelSource labels = options.labels() != null ? options.labels()
                : columns.contains(options.labelColumn()) ? IngestOptions.LabelSource.COLUMN
                : IngestOptions.LabelSource.NONE;
        String labelColumn = null;
        if (labels == IngestOptions.LabelSource.COLUMN) {
            labelColumn = options.labelColumn();
            requireColumn(location, columns, labelColumn, "labels (--labels column)");
        }
        String captionsColumn = options.captionsColumn();
        if (captionsColumn != null) {
            requireColumn(location, columns, captionsColumn, "captions (--captions)");
        }
        // Line numbers: rows keep file order; CSV has a header line, Parquet has "rows".
        int firstLine = csv ? 2 : 1;
        String unit = lower.endsWith(".parquet") ? "row" : "line";
        Dataset<Row> numbered = spark.createDataFrame(
                raw.javaRDD().zipWithIndex().map(t -> RowFactory.create(t._2() + firstLine, t._1())),
                new StructType().add("line_no", DataTypes.LongType).add("r", schema));

        String manifestName = new Path(URI.create(location.replace(" ", "%20"))).getName();
        String baseDir = location.substring(0, location.lastIndexOf('/') + 1);
        Checker checker = new Checker(
                HadoopConf.of(spark.sparkContext().hadoopConfiguration()), manifestName, unit, baseDir,
                schema, labelColumn, labels == IngestOptions.LabelSource.FOLDER, captionsColumn,
                columns.contains("split") ? "split" : null, columns.contains("_corrupt_record"));
        Dataset<Row> checked = numbered.mapPartitions(checker, Encoders.row(Checker.OUTPUT));
        checked.persist();
        List<Row> errors = checked.filter("error IS NOT NULL").select("error").limit(MAX_REPORTED_ERRORS).collectAsList();
        if (!errors.isEmpty()) {
            long total = checked.filter("error IS NOT NULL").count();
            checked.unpersist();
            StringBuilder msg = new StringBuilder();
            errors.forEach(r -> msg.append(msg.length() == 0 ? "" : "\n").append(r.getString(0)));
            if (total > errors.size()) {
                msg.append("\n... and ").append(total - errors.size()).append(" more problems in ").append(manifestName);
            }
            throw new LakelensException(msg.toString());
        }
        return checked.drop("error");
    }

    private static void requireColumn(String location, List<String> columns, String column, String purpose) {
        if (!columns.contains(column)) {
            throw new LakelensException(location + ": no column '" + column + "' for " + purpose
                    + " (columns: " + String.join(", ", columns) + ")");
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.split("\n")[0];
    }

    /** Executor side: resolves paths, checks the files exist, normalises labels and captions. */
    static final class Checker implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        static final StructType OUTPUT = IngestSource.CANDIDATE_SCHEMA.add("error", DataTypes.StringType, true);
        private static final ObjectMapper JSON = new ObjectMapper();

        private final HadoopConf hadoopConf;
        private final String manifestName;
        private final String unit;
        private final String baseDir;
        private final StructType schema;
        private final String labelColumn;
        private final boolean folderLabels;
        private final String captionsColumn;
        private final String splitColumn;
        private final boolean hasCorruptColumn;

        Checker(HadoopConf hadoopConf, String manifestName, String unit, String baseDir, StructType schema,
                String labelColumn, boolean folderLabels, String captionsColumn, String splitColumn,
                boolean hasCorruptColumn) {
            this.hadoopConf = hadoopConf;
            this.manifestName = manifestName;
            this.unit = unit;
            this.baseDir = baseDir;
            this.schema = schema;
            this.labelColumn = labelColumn;
            this.folderLabels = folderLabels;
            this.captionsColumn = captionsColumn;
            this.splitColumn = splitColumn;
            this.hasCorruptColumn = hasCorruptColumn;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            List<Row> out = new ArrayList<>();
            while (rows.hasNext()) {
                Row numbered = rows.next();
                long line = numbered.getLong(0);
                Row r = numbered.getStruct(1);
                String where = manifestName + " " + unit + " " + line;
                out.add(check(r, where));
            }
            return out.iterator();
        }

        private Row check(Row r, String where) {
            if (hasCorruptColumn && !r.isNullAt(r.fieldIndex("_corrupt_record"))) {
                return error(where, "malformed JSON: " + abbreviate(r.getString(r.fieldIndex("_corrupt_record"))));
            }
            Object pathValue = r.get(r.fieldIndex(PATH_COLUMN));
            String path = pathValue == null ? "" : pathValue.toString().trim();
            if (path.isEmpty()) {
                return error(where, "column " + PATH_COLUMN + ": empty path");
            }
            String uri = resolve(path);
            try {
                Path p = new Path(URI.create(uri.replace(" ", "%20")));
                FileSystem fs = p.getFileSystem(hadoopConf.get());
                if (!fs.exists(p)) {
                    return error(where, "column " + PATH_COLUMN + ": file not found: " + path);
                }
                if (fs.getFileStatus(p).isDirectory()) {
                    return error(where, "column " + PATH_COLUMN + ": is a directory, not a file: " + path);
                }
            } catch (IOException | IllegalArgumentException e) {
                return error(where, "column " + PATH_COLUMN + ": cannot open " + path + " (" + e.getMessage() + ")");
            }
            String label = null;
            if (labelColumn != null) {
                Object v = r.get(r.fieldIndex(labelColumn));
                label = v == null || v.toString().isBlank() ? null : v.toString().trim();
            } else if (folderLabels) {
                String[] parts = uri.split("/");
                label = parts.length >= 2 ? parts[parts.length - 2] : null;
            }
            String split = null;
            if (splitColumn != null) {
                Object v = r.get(r.fieldIndex(splitColumn));
                split = v == null || v.toString().isBlank() ? null : v.toString().trim();
            }
            List<String> captions = null;
            if (captionsColumn != null) {
                try {
                    captions = captions(r, r.fieldIndex(captionsColumn));
                } catch (IOException e) {
                    return error(where, "column " + captionsColumn + ": not a caption or a JSON list of captions ("
                            + firstLine(e.getMessage()) + ")");
                }
            }
            return RowFactory.create(uri, label, split,
                    captions == null ? null : scala.collection.JavaConverters.asScalaBuffer(captions).toSeq(),
                    where, null);
        }

        private List<String> captions(Row r, int index) throws IOException {
            if (r.isNullAt(index)) {
                return List.of();
            }
            StructField field = schema.fields()[index];
            List<String> out = new ArrayList<>();
            if (field.dataType() instanceof ArrayType) {
                List<Object> values = r.getList(index);
                for (Object o : values) {
                    if (o != null && !o.toString().isBlank()) {
                        out.add(o.toString().trim());
                    }
                }
                return out;
            }
            String cell = r.get(index).toString().trim();
            if (cell.startsWith("[")) {
                for (String c : JSON.readValue(cell, new TypeReference<List<String>>() {})) {
                    if (c != null && !c.isBlank()) {
                        out.add(c.trim());
                    }
                }
            } else if (!cell.isEmpty()) {
                out.add(cell);
            }
            return out;
        }

        private String resolve(String path) {
            if (path.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:/.*")) {
                return path;
            }
            if (path.startsWith("/")) {
                return "file:" + path;
            }
            return baseDir + path;
        }

        private static Row error(String where, String message) {
            return RowFactory.create("", null, null, null, where, where + ", " + message);
        }

        private static String abbreviate(String s) {
            String oneLine = s.replace('\n', ' ');
            return oneLine.length() > 80 ? oneLine.substring(0, 77) + "..." : oneLine;
        }

    }
}
