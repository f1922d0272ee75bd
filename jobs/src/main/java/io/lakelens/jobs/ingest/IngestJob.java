package io.lakelens.jobs.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.trim;

import io.lakelens.jobs.runs.JobRun;
import io.lakelens.jobs.spark.HadoopConf;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.tables.DeltaMerge;
import io.lakelens.jobs.tables.LakelensTables;
import io.lakelens.jobs.tables.TableSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code lakelens ingest}: brings image files into the {@code images} table (and their captions
 * into {@code reference_captions}), idempotently. Files are listed, read, hashed and decoded on the
 * executors; the driver only sees counts. Rows are MERGEd on (dataset, image_id), so a rerun, or a
 * copy of a file under another name, adds nothing.
 */
public final class IngestJob {

    private final LakelensSession session;

    public IngestJob(LakelensSession session) {
        this.session = session;
    }

    public IngestResult run(IngestOptions options) {
        return JobRun.execute(session, "ingest", options.dataset(), null, parameters(options), run -> {
            IngestResult result = ingest(session.spark(), options, run);
            run.count("read", result.read()).count("ingested", result.ingested())
                    .count("duplicates", result.duplicates()).count("quarantined", result.quarantined())
                    .count("captions_written", result.captionsWritten()).items(result.read());
            return result;
        });
    }

    private IngestResult ingest(SparkSession spark, IngestOptions options, JobRun run) {
        long start = System.nanoTime();
        run.describe("listing " + options.source());
        String scratch = session.warehouse().root() + "/_scratch/" + run.runId();
        Dataset<Row> candidates = IngestSource.candidates(spark, options, scratch);

        run.describe("reading, hashing and decoding images");
        Dataset<Row> outcomes = candidates
                .mapPartitions(new ImageFileReader(HadoopConf.of(spark.sparkContext().hadoopConfiguration()), options),
                        Encoders.row(ImageFileReader.OUTCOME_SCHEMA))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long read = outcomes.count();
            Dataset<Row> good = outcomes.filter(col("reason_code").isNull());
            Dataset<Row> bad = outcomes.filter(col("reason_code").isNotNull());

            // Copies of the same bytes in one source collapse to the first path (sorted, so reruns agree).
            Dataset<Row> firstCopies = good
                    .withColumn("copy_rank", row_number().over(Window.partitionBy("image_id").orderBy("uri")))
                    .filter(col("copy_rank").equalTo(1))
                    .drop("copy_rank");
            long goodCount = good.count();

            run.describe("merging into lakelens.images");
            long ingested = mergeImages(firstCopies, options.dataset());

            run.describe("quarantining bad inputs");
            long quarantined = run.quarantine(bad, null);

            long captions = 0;
            if (options.captionsColumn() != null) {
                run.describe("merging reference captions");
                captions = mergeCaptions(good, options);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new IngestResult(run.runId(), read, ingested, goodCount - ingested, quarantined, captions, seconds);
        } finally {
            outcomes.unpersist();
            deleteQuietly(spark, scratch);
        }
    }

    private static void deleteQuietly(SparkSession spark, String dir) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
            p.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(p, true);
        } catch (java.io.IOException e) {
            // A leftover scratch listing is harmless; the next run writes its own.
        }
    }

    private long mergeImages(Dataset<Row> images, String dataset) {
        TableSpec spec = LakelensTables.IMAGES;
        Dataset<Row> rows = images.select(
                col("image_id"), lit(dataset).as("dataset"), col("uri"), col("width"), col("height"),
                col("format"), col("color_mode"), col("byte_size"), col("label"), col("split"),
                col("content"), current_timestamp().as("ingested_at"));
        return DeltaMerge.insertNew(session.spark(), session.catalog(), spec, rows,
                "t.dataset = '" + dataset.replace("'", "''") + "'").inserted();
    }

    private long mergeCaptions(Dataset<Row> good, IngestOptions options) {
        TableSpec spec = LakelensTables.REFERENCE_CAPTIONS;
        Dataset<Row> rows = good
                .filter(col("captions").isNotNull())
                .select(col("image_id"), explode(col("captions")).as("caption"))
                .withColumn("caption", trim(col("caption")))
                .filter(col("caption").notEqual(""))
                .dropDuplicates("image_id", "caption")
                .select(col("image_id"), lit(options.dataset()).as("dataset"), col("caption"),
                        lit(options.source()).as("source"), current_timestamp().as("ingested_at"));
        return DeltaMerge.insertNew(session.spark(), session.catalog(), spec, rows).inserted();
    }

    private static Map<String, String> parameters(IngestOptions o) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("source", o.source());
        p.put("dataset", o.dataset());
        p.put("labels", o.labels() == null ? "auto" : o.labels().name().toLowerCase(java.util.Locale.ROOT));
        if (o.labels() == IngestOptions.LabelSource.COLUMN) {
            p.put("label_column", o.labelColumn());
        }
        if (o.captionsColumn() != null) {
            p.put("captions_column", o.captionsColumn());
        }
        p.put("store_bytes", Boolean.toString(o.storeBytes()));
        p.put("max_file_bytes", Long.toString(o.maxFileBytes()));
        p.put("max_pixels", Long.toString(o.maxPixels()));
        p.put("full_decode", Boolean.toString(o.fullDecode()));
        return p;
    }
}
