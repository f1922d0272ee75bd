package io.lakelens.jobs.tables;

import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;

/**
 * Where the lakelens tables live: {@code <root>/lakelens/<table>} for each Delta table. The root is
 * a local folder ({@code ./lakelens-warehouse} by default) or any Hadoop URI a cluster can reach
 * ({@code hdfs://}, {@code s3a://}, ...).
 */
public final class Warehouse implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The database every lakelens table is registered in. */
    public static final String DATABASE = "lakelens";

    public static final String DEFAULT_LOCATION = "lakelens-warehouse";

    private final String root;

    private Warehouse(String root) {
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    /**
     * A warehouse at a local path or URI.
     *
     * @param location a local folder (made absolute) or a URI with a scheme
     */
    public static Warehouse at(String location) {
        URI uri = URI.create(location.replace(" ", "%20"));
        if (uri.getScheme() != null && uri.getScheme().length() > 1) {
            return new Warehouse(location);
        }
        // Hadoop's qualified form (file:/abs/path), the one Spark and Delta compare locations in.
        return new Warehouse("file:" + Path.of(location).toAbsolutePath().normalize());
    }

    /** The root URI, e.g. {@code file:/home/me/lakelens-warehouse}. */
    public String root() {
        return root;
    }

    /** The folder holding the lakelens database's tables. */
    public String databaseLocation() {
        return root + "/" + DATABASE;
    }

    /**
     * The catalog database's own folder, kept apart from the tables: Spark's in-memory catalog
     * deletes a database's folder when the database is dropped, and that must never be the data.
     */
    public String catalogDatabaseLocation() {
        return root + "/spark-warehouse/" + DATABASE + ".db";
    }

    /** The folder of one table. */
    public String tableLocation(String table) {
        return databaseLocation() + "/" + table;
    }

    /** Where job run artefacts (reports) go: {@code <root>/runs}. */
    public String runsLocation() {
        return root + "/runs";
    }

    /** The root as a local path, when the warehouse is local. */
    public Path localRoot() {
        URI uri = URI.create(root);
        if (!"file".equals(uri.getScheme())) {
            throw new IllegalStateException("warehouse " + root + " is not on the local file system");
        }
        return Path.of(uri);
    }

    public boolean isLocal() {
        return root.startsWith("file:");
    }

    @Override
    public String toString() {
        return root;
    }
}
