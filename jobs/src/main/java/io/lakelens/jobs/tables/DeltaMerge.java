package io.lakelens.jobs.tables;

import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * MERGE of a batch into a lakelens table on the table's key, the only way lakelens jobs write data
 * rows: a rerun or a concurrent run never duplicates a row. Runs as SQL because the SQL form returns
 * the command's own row counts (the builder API returns nothing, and reading the table history
 * afterwards could see another process's commit).
 */
public final class DeltaMerge {

    /** Rows the MERGE inserted and updated. */
    public record Counts(long inserted, long updated) {}

    private DeltaMerge() {}

    /** Inserts the rows whose key is not in the table yet; existing rows are left as they are. */
    public static Counts insertNew(SparkSession spark, TableCatalog catalog, TableSpec spec, Dataset<Row> rows) {
        return merge(spark, catalog, spec, rows, false, null);
    }

    /** Inserts new rows and replaces existing rows with the same key. */
    public static Counts upsert(SparkSession spark, TableCatalog catalog, TableSpec spec, Dataset<Row> rows) {
        return merge(spark, catalog, spec, rows, true, null);
    }

    /**
     * Like {@link #insertNew} with an extra condition on the target, e.g. {@code t.dataset = 'x'},
     * which lets Delta skip other partitions and other writers' files.
     */
    public static Counts insertNew(
            SparkSession spark, TableCatalog catalog, TableSpec spec, Dataset<Row> rows, String targetCondition) {
        return merge(spark, catalog, spec, rows, false, targetCondition);
    }

    private static Counts merge(
            SparkSession spark, TableCatalog catalog, TableSpec spec, Dataset<Row> rows, boolean update,
            String targetCondition) {
        catalog.ensure(spec);
        String view = "lakelens_merge_" + UUID.randomUUID().toString().replace("-", "");
        rows.selectExpr(spec.schema().fieldNames()).createOrReplaceTempView(view);
        try {
            String on = spec.keyCondition("t", "s") + (targetCondition == null ? "" : " AND " + targetCondition);
            String sql = "MERGE INTO delta.`" + catalog.warehouse().tableLocation(spec.name()) + "` t USING " + view
                    + " s ON " + on + (update ? " WHEN MATCHED THEN UPDATE SET *" : "")
                    + " WHEN NOT MATCHED THEN INSERT *";
            Row result = spark.sql(sql).first();
            return new Counts(
                    result.getLong(result.fieldIndex("num_inserted_rows")),
                    result.getLong(result.fieldIndex("num_updated_rows")));
        } finally {
            spark.catalog().dropTempView(view);
        }
    }
}
