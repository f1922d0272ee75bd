package io.lakelens.jobs.spark;

import org.apache.spark.sql.SparkSession;

/**
 * Something every lakelens Spark session gets (the SQL functions are one), found with {@link
 * java.util.ServiceLoader} ({@code META-INF/services}), so that setting up a session does not depend
 * on what the packages above it add to it.
 */
public interface SessionExtension {

    /** The class to list in {@code spark.sql.extensions}, applied by Spark to the sessions it builds. */
    String sparkExtensionClass();

    /** Adds the same to a session built without it (a notebook's, or one made by other code). */
    void registerInto(SparkSession spark);
}
