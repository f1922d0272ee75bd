package io.lakelens.jobs.tables;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * A lakelens Delta table: its name in the {@code lakelens} database, what it holds (table comment),
 * its schema with a comment on every column, how it is partitioned and which columns identify a row
 * (the MERGE key that makes every job idempotent).
 */
public record TableSpec(
        String name, String comment, StructType schema, List<String> partitionColumns, List<String> keyColumns) {

    /** {@code lakelens.<name>}. */
    public String qualifiedName() {
        return Warehouse.DATABASE + "." + name;
    }

    /** A SQL condition matching the key columns of {@code left} and {@code right} aliases. */
    public String keyCondition(String left, String right) {
        StringBuilder sb = new StringBuilder();
        for (String k : keyColumns) {
            if (sb.length() > 0) {
                sb.append(" AND ");
            }
            // <=> so that a null key component (e.g. no label) still matches itself.
            sb.append(left).append('.').append(k).append(" <=> ").append(right).append('.').append(k);
        }
        return sb.toString();
    }
}
