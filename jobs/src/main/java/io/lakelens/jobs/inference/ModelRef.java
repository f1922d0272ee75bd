package io.lakelens.jobs.inference;

import io.lakelens.jobs.LakelensException;
import io.lakelens.models.hub.ModelLocator;
import io.lakelens.models.hub.ResolvedModel;
import java.io.File;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkFiles;
import org.apache.spark.sql.SparkSession;

/**
 * A model as executors find it: resolved (and downloaded if needed) once on the driver, then either
 * read from the same path (local mode, or a folder every node sees) or shipped with the job through
 * {@code SparkContext.addFile} and found again with {@link SparkFiles}.
 */
public final class ModelRef implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String spec;
    private final String modelId;
    private final String driverPath;
    private final String shippedName;

    private ModelRef(String spec, String modelId, String driverPath, String shippedName) {
        this.spec = spec;
        this.modelId = modelId;
        this.driverPath = driverPath;
        this.shippedName = shippedName;
    }

    /**
     * Resolves {@code --model} on the driver and makes it reachable from the executors.
     *
     * @param spark the session (its master decides whether the folder must be shipped)
     * @param spec a local folder or {@code hf://ORG/NAME[@REV]}
     */
    public static ModelRef resolve(SparkSession spark, String spec) {
        ResolvedModel resolved = ModelLocator.resolve(spec);
        Path folder = resolved.folder().toAbsolutePath();
        String master = spark.sparkContext().master();
        String shipped = null;
        if (!master.startsWith("local") && !spark.conf().get("spark.lakelens.models.shared", "false").equals("true")) {
            // Executors on other machines may not see the driver's folder: ship it with the job as an
            // archive (Spark cannot ship local folders), which executors unpack into SparkFiles.
            Path archive = ModelArchive.of(folder, resolved.modelId());
            spark.sparkContext().addArchive(archive.toUri().toString());
            shipped = archive.getFileName().toString();
        }
        return new ModelRef(spec, resolved.modelId(), folder.toString(), shipped);
    }

    /**
     * A reference rebuilt from the parts of one made by {@link #resolve} (for code that can pass
     * only plain values to executors, such as SQL expressions).
     */
    public static ModelRef of(String spec, String modelId, String driverPath, String shippedName) {
        return new ModelRef(spec, modelId, driverPath, shippedName);
    }

    /** The archive name executors find the model under in {@link SparkFiles}, or null if not shipped. */
    public String shippedName() {
        return shippedName;
    }

    /** The spec the user gave. */
    public String spec() {
        return spec;
    }

    /** The stable id stored in tables. */
    public String modelId() {
        return modelId;
    }

    /** The driver's copy. */
    public Path driverFolder() {
        return Path.of(driverPath);
    }

    /** The folder on this executor: the driver's path if it exists here, else the shipped copy. */
    public Path localFolder() {
        Path p = Path.of(driverPath);
        if (Files.isDirectory(p)) {
            return p;
        }
        if (shippedName != null) {
            Path shipped = Path.of(SparkFiles.get(shippedName));
            if (Files.isDirectory(shipped)) {
                return shipped;
            }
        }
        throw new LakelensException("model folder " + driverPath + " is not visible on this executor"
                + (shippedName == null ? " (set spark.lakelens.models.shared=false to ship it with the job)" : "")
                + "; executor working dir: " + new File(".").getAbsolutePath());
    }
}
