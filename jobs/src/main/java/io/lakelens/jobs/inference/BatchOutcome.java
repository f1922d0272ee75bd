package io.lakelens.jobs.inference;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The columns every batch-inference partition function emits besides its results: one row per input
 * image, with {@code reason_code} NULL for a result and set (with {@code stage} and {@code reason})
 * for an image that goes to quarantine. So the driver can count: input = written + quarantined.
 */
public final class BatchOutcome {

    private BatchOutcome() {}

    /** The outcome schema: image_id, uri, stage, reason_code, reason, followed by the job's result columns. */
    public static StructType schema(StructType results) {
        StructType s = new StructType()
                .add("image_id", DataTypes.StringType, false)
                .add("uri", DataTypes.StringType, true)
                .add("stage", DataTypes.StringType, true)
                .add("reason_code", DataTypes.StringType, true)
                .add("reason", DataTypes.StringType, true);
        for (var f : results.fields()) {
            s = s.add(f.name(), f.dataType(), true);
        }
        return s;
    }
}
