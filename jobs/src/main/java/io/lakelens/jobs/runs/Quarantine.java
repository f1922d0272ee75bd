package io.lakelens.jobs.runs;

import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.tables.DeltaMerge;
import io.lakelens.jobs.tables.LakelensTables;
import io.lakelens.jobs.tables.TableSpec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes failed inputs to the {@code quarantine} table. Keyed by job, stage and input, so a rerun
 * that fails on the same input updates its row (reason, run, time) instead of adding another.
 */
public final class Quarantine {

    private Quarantine() {}

    /**
     * Merges quarantine rows (in the table's schema) into the table.
     *
     * @return the number of rows given
     */
    public static long write(LakelensSession session, Dataset<Row> rows) {
        TableSpec spec = LakelensTables.QUARANTINE;
        Dataset<Row> aligned = rows.selectExpr(spec.schema().fieldNames());
        long n = aligned.count();
        if (n == 0) {
            return 0;
        }
        // One row per key: an input can fail once per run.
        Dataset<Row> distinct = aligned.dropDuplicates(spec.keyColumns().toArray(new String[0]));
        DeltaMerge.upsert(session.spark(), session.catalog(), spec, distinct);
        return n;
    }
}
