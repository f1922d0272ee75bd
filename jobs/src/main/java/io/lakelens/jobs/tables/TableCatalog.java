package io.lakelens.jobs.tables;

import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the warehouse's Delta tables visible by name ({@code lakelens.images}, ...) in a Spark
 * session.
 *
 * <p>The catalog itself is Spark's in-memory one, rebuilt in every session from the table folders:
 * the Delta log at each table's location is the only source of truth. Several lakelens processes
 * can therefore share one warehouse (a job writing while {@code lakelens sql-server} serves), which
 * an embedded Derby metastore would forbid (one JVM per database).
 */
public final class TableCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(TableCatalog.class);

    private final SparkSession spark;
    private final Warehouse warehouse;

    public TableCatalog(SparkSession spark, Warehouse warehouse) {
        this.spark = spark;
        this.warehouse = warehouse;
    }

    public Warehouse warehouse() {
        return warehouse;
    }

    /** Registers every lakelens table that exists in the warehouse. */
    public void registerExisting() {
        spark.sql("CREATE DATABASE IF NOT EXISTS " + Warehouse.DATABASE
                + " COMMENT 'lakelens tables' LOCATION '" + escape(warehouse.catalogDatabaseLocation()) + "'");
        for (TableSpec spec : LakelensTables.all()) {
            if (exists(spec)) {
                register(spec);
            }
        }
    }

    /** Whether the table's Delta log exists. */
    public boolean exists(TableSpec spec) {
        return DeltaTable.isDeltaTable(spark, warehouse.tableLocation(spec.name()));
    }

    /**
     * Creates the table (with its comments and partitioning) if it does not exist yet, and registers
     * it. Safe when another process creates the same table at the same time.
     */
    public void ensure(TableSpec spec) {
        if (!exists(spec)) {
            try {
                DeltaTableBuilder builder = DeltaTable.createIfNotExists(spark)
                        .location(warehouse.tableLocation(spec.name()))
                        .comment(spec.comment());
                for (StructField f : spec.schema().fields()) {
                    builder = builder.addColumn(f);
                }
                if (!spec.partitionColumns().isEmpty()) {
                    builder = builder.partitionedBy(spec.partitionColumns().toArray(new String[0]));
                }
                builder.execute();
                LOG.debug("created table {} at {}", spec.qualifiedName(), warehouse.tableLocation(spec.name()));
            } catch (RuntimeException e) {
                // Lost a creation race with another process: fine if the table now exists.
                if (!exists(spec)) {
                    throw e;
                }
            }
        }
        register(spec);
    }

    /** The table as a Delta table handle. */
    public DeltaTable delta(TableSpec spec) {
        ensure(spec);
        return DeltaTable.forPath(spark, warehouse.tableLocation(spec.name()));
    }

    private void register(TableSpec spec) {
        spark.sql("CREATE DATABASE IF NOT EXISTS " + Warehouse.DATABASE
                + " LOCATION '" + escape(warehouse.catalogDatabaseLocation()) + "'");
        spark.sql("CREATE TABLE IF NOT EXISTS " + spec.qualifiedName() + " USING delta LOCATION '"
                + escape(warehouse.tableLocation(spec.name())) + "'");
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("'", "\\'");
    }
}
