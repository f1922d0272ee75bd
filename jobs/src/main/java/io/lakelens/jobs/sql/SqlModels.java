package io.lakelens.jobs.sql;

import io.lakelens.jobs.inference.ModelRef;
import io.lakelens.jobs.tables.LakelensTables;
import io.lakelens.models.checkpoint.CheckpointFolder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.internal.SQLConf;

/**
 * Which CLIP model a SQL function means, decided on the driver while the query is analysed, so that
 * a bad model name is an analysis error and not a failure inside a Spark task.
 *
 * <p>A function's model argument may be a {@code model_id} as stored in the tables ({@code
 * hf://ORG/NAME@<sha>} or {@code local:<folder>#<hash>}), a local folder, or {@code hf://ORG/NAME[@REV]}.
 * Without one, the default is the Spark setting {@value #MODEL_CONF} if set, else the model of the
 * most recently computed row of {@code lakelens.image_embeddings}, so that a query against that
 * table compares embeddings of one model.
 */
public final class SqlModels {

    /** Setting naming the default model of the SQL functions ({@code SET lakelens.sql.model=...}). */
    public static final String MODEL_CONF = "lakelens.sql.model";

    // Resolving a local folder hashes its weights; do it once per JVM and name.
    private static final Map<String, ModelRef> RESOLVED = new ConcurrentHashMap<>();

    private SqlModels() {}

    /**
     * The model for {@code function}, resolved and reachable from executors.
     *
     * @param given the function's model argument, or null for the default
     */
    static ModelRef resolve(String function, String given) {
        SparkSession spark = SparkSession.active();
        String name = given != null ? given : defaultModel(spark, function);
        ModelRef cached = RESOLVED.get(name);
        if (cached != null) {
            return cached;
        }
        ModelRef ref;
        try {
            ref = ModelRef.resolve(spark, specOf(name));
            CheckpointFolder.open(ref.driverFolder()).requireModelType("clip", function);
        } catch (RuntimeException e) {
            throw SqlErrors.analysis(function + ": unknown model '" + name + "': " + firstLine(e)
                    + " (give a model_id from lakelens.image_embeddings, a CLIP folder or hf://ORG/NAME)", e);
        }
        if (name.startsWith("local:") && !ref.modelId().equals(name)) {
            throw SqlErrors.analysis(function + ": model '" + name + "': the folder now holds other weights ("
                    + ref.modelId() + "); embeddings of the old weights cannot be reproduced");
        }
        RESOLVED.put(name, ref);
        return ref;
    }

    /** The model_id whose embeddings {@code nearest_images} searches: the model's, resolved. */
    static String modelIdFor(String function, String given) {
        return resolve(function, given).modelId();
    }

    /** A loadable spec for a model_id ({@code local:<folder>#<hash>} → the folder); other names are specs. */
    static String specOf(String name) {
        if (name.startsWith("local:")) {
            int hash = name.lastIndexOf('#');
            return hash > "local:".length() ? name.substring("local:".length(), hash) : name.substring("local:".length());
        }
        return name;
    }

    private static String defaultModel(SparkSession spark, String function) {
        String conf = SQLConf.get().getConfString(MODEL_CONF, null);
        if (conf == null) {
            conf = SQLConf.get().getConfString("spark." + MODEL_CONF, null);
        }
        if (conf != null && !conf.isBlank()) {
            return conf.trim();
        }
        String table = LakelensTables.IMAGE_EMBEDDINGS.qualifiedName();
        if (spark.catalog().tableExists(table)) {
            List<Row> latest = spark.sql("SELECT max_by(model_id, created_at) FROM " + table).collectAsList();
            if (!latest.isEmpty() && !latest.get(0).isNullAt(0)) {
                return latest.get(0).getString(0);
            }
        }
        throw SqlErrors.analysis(function + ": no model given and none to default to: " + table
                + " has no embeddings and " + MODEL_CONF + " is not set; pass the model as the last argument"
                + " or SET " + MODEL_CONF + "=<model_id, folder or hf://ORG/NAME>");
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.split("\n")[0].strip();
    }
}
