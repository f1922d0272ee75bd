package io.lakelens.jobs.sql;

import io.lakelens.jobs.inference.ModelRef;
import io.lakelens.jobs.tables.LakelensTables;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.objects.StaticInvoke;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.types.AbstractDataType;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.unsafe.types.UTF8String;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * The lakelens SQL functions: what each is called, its documentation ({@code DESCRIBE FUNCTION
 * EXTENDED}), and how a call is checked and turned into a Spark expression.
 *
 * <p>Checks happen here, while the query is analysed, so that a wrong argument is an {@code
 * AnalysisException} naming the function and the argument, not a failed task. Each call becomes a
 * {@link StaticInvoke} of {@link VectorFunctions} or {@link ClipFunctions}: code-generated, and
 * foldable when its arguments are, so {@code clip_text_embedding('a red bicycle')} is computed
 * once by the optimizer's constant folding, not once per row.
 */
public final class LakelensFunctions {

    /** A scalar function: name, documentation, builder. */
    public record Scalar(String name, ExpressionInfo info, Function<List<Expression>, Expression> builder) {}

    /** A table-valued function: name, documentation, builder. */
    public record Table(String name, ExpressionInfo info, Function<List<Expression>, LogicalPlan> builder) {}

    private static final DataType FLOAT_ARRAY = DataTypes.createArrayType(DataTypes.FloatType, false);
    private static final DataType DOUBLE_ARRAY = DataTypes.createArrayType(DataTypes.DoubleType, true);

    private LakelensFunctions() {}

    /** A 2x2 red PNG, hex: the image the clip_image_embedding examples embed. */
    static final String EXAMPLE_PNG_HEX = "89504E470D0A1A0A0000000D4948445200000002000000020802000000FDD49A73000000104944"
            + "415478DA6338212707440C100A001F2604114A8E8D200000000049454E44AE426082";

    public static List<Scalar> scalars() {
        return List.of(
                new Scalar("cosine_similarity", info("cosine_similarity",
                        "_FUNC_(a, b) - Returns the cosine of the angle between the vectors a and b, a DOUBLE in [-1, 1].",
                        """
                              * a, b - array<float> or array<double> (other numeric arrays are read as double), of one length
                            NULL rules: a NULL array or a NULL element gives NULL; a zero vector (all 0, or empty) gives NULL,
                            it has no direction; arrays of different lengths are an error. Sums are accumulated in double.
                            A text search over the stored embeddings: SELECT image_id, _FUNC_(embedding,
                            clip_text_embedding('a red bicycle')) AS score FROM lakelens.image_embeddings ORDER BY score DESC
                        """,
                        """
                              > SELECT _FUNC_(array(1.0, 0.0), array(1.0, 1.0));
                               0.7071067811865475
                              > SELECT _FUNC_(array(1.0, 2.0), array(-2.0, 1.0));
                               0.0
                              > SELECT _FUNC_(array(0.0, 0.0), array(1.0, 1.0));
                               NULL
                        """), args -> vector("cosine_similarity", args, "cosineSimilarity", DataTypes.DoubleType)),
                new Scalar("dot_product", info("dot_product",
                        "_FUNC_(a, b) - Returns the dot product of the vectors a and b, a DOUBLE.",
                        """
                              * a, b - array<float> or array<double> (other numeric arrays are read as double), of one length
                            NULL rules: a NULL array or a NULL element gives NULL; two empty arrays give 0.0;
                            arrays of different lengths are an error. Sums are accumulated in double.
                            On L2-normalised embeddings (all lakelens embeddings are) it equals cosine_similarity.
                        """,
                        """
                              > SELECT _FUNC_(array(1.0, 2.0), array(3.0, 4.0));
                               11.0
                              > SELECT _FUNC_(CAST(array() AS array<double>), CAST(array() AS array<double>));
                               0.0
                              > SELECT _FUNC_(array(1.0, NULL), array(1.0, 2.0));
                               NULL
                        """), args -> vector("dot_product", args, "dotProduct", DataTypes.DoubleType)),
                new Scalar("l2_normalize", info("l2_normalize",
                        "_FUNC_(a) - Returns a divided by its Euclidean norm, of a's element type (float or double).",
                        """
                              * a - array<float> or array<double> (other numeric arrays are read as double)
                            NULL rules: a NULL array or a NULL element gives NULL; a zero vector (all 0, or empty) gives NULL.
                        """,
                        """
                              > SELECT _FUNC_(array(3.0D, 4.0D));
                               [0.6,0.8]
                              > SELECT _FUNC_(array(0.0, 0.0));
                               NULL
                        """), args -> vector("l2_normalize", args, "l2Normalize", null)),
                new Scalar("clip_text_embedding", info("clip_text_embedding",
                        "_FUNC_(text [, model]) - Returns the L2-normalised CLIP embedding of text, an array<float>.",
                        """
                              * text - a STRING; NULL gives NULL
                              * model - a constant STRING: a model_id of lakelens.image_embeddings, a CLIP folder or
                                hf://ORG/NAME[@REV]. Default: the setting lakelens.sql.model, else the model of the most
                                recently computed lakelens.image_embeddings row.
                            With a constant text the embedding is computed once per query (constant folding), not per row.
                            An unknown model is an analysis error. It is comparable with image_embeddings.embedding of the
                            same model: SELECT image_id, cosine_similarity(embedding, _FUNC_('a red bicycle')) AS score
                            FROM lakelens.image_embeddings ORDER BY score DESC LIMIT 10
                        """,
                        """
                              > SELECT round(aggregate(_FUNC_('a photo of a cat'), 0D, (s, x) -> s + x * x), 6);
                               1.0
                              > SELECT round(cosine_similarity(_FUNC_('a red bicycle'), _FUNC_('a red bicycle')), 6);
                               1.0
                              > SELECT _FUNC_(NULL);
                               NULL
                        """), args -> clip("clip_text_embedding", args, "textEmbedding", DataTypes.StringType)),
                new Scalar("clip_image_embedding", info("clip_image_embedding",
                        "_FUNC_(bytes [, model]) - Returns the L2-normalised CLIP embedding of an encoded image, an array<float>.",
                        """
                              * bytes - a BINARY holding a PNG, JPEG, GIF, BMP, WebP or TIFF file; NULL gives NULL;
                                bytes that do not decode are an error
                              * model - as for clip_text_embedding
                            The images of a dataset: SELECT image_id, _FUNC_(content) FROM lakelens.images WHERE dataset = 'photos'
                        """,
                        """
                              > SELECT round(aggregate(_FUNC_(unhex('%s')), 0D, (s, x) -> s + x * x), 6);
                               1.0
                              > SELECT _FUNC_(NULL);
                               NULL
                        """.formatted(EXAMPLE_PNG_HEX)), args -> clip("clip_image_embedding", args, "imageEmbedding", DataTypes.BinaryType)));
    }

    public static List<Table> tables() {
        return List.of(new Table("nearest_images", info("nearest_images",
                "_FUNC_(text, k [, model]) - Returns the k images of lakelens.image_embeddings closest to text:"
                        + " columns image_id, model_id, score (cosine similarity), best first.",
                """
                      * text - a constant STRING
                      * k - a constant positive INT
                      * model - as for clip_text_embedding; only that model's embeddings are searched
                    It is the query
                      SELECT image_id, model_id, cosine_similarity(embedding, clip_text_embedding(text, model)) AS score
                      FROM lakelens.image_embeddings WHERE model_id = <model> ORDER BY score DESC, image_id LIMIT k
                    With the images: SELECT n.score, i.uri FROM _FUNC_('a red bicycle', 5) n JOIN lakelens.images i USING (image_id)
                    (The examples assume a warehouse with at least 5 embeddings of the default model.)
                """,
                """
                      > SELECT count(*) FROM _FUNC_('a red bicycle', 3);
                       3
                      > SELECT count(DISTINCT model_id), min(score) <= max(score) FROM _FUNC_('a red bicycle', 5);
                       1\ttrue
                """), LakelensFunctions::nearestImages));
    }

    // ------------------------------------------------------------------ vector functions

    private static Expression vector(String function, List<Expression> args, String method, DataType resultType) {
        int arity = resultType == null ? 1 : 2;
        if (args.size() != arity) {
            throw SqlErrors.analysis(function + " takes " + arity + " argument" + (arity == 1 ? "" : "s")
                    + ", got " + args.size());
        }
        boolean allFloat = true;
        for (int i = 0; i < args.size(); i++) {
            DataType t = args.get(i).dataType();
            if (t instanceof NullType) {
                return Literal.create(null, resultType != null ? resultType : DOUBLE_ARRAY);
            }
            if (!(t instanceof ArrayType at) || !(at.elementType() instanceof NumericType)) {
                throw SqlErrors.analysis(function + ": argument " + (i + 1) + " (" + pretty(args.get(i)) + ") is "
                        + t.simpleString() + "; expected array<float> or array<double>");
            }
            allFloat &= at.elementType().equals(DataTypes.FloatType);
        }
        List<Expression> inputs = new ArrayList<>();
        for (Expression e : args) {
            inputs.add(allFloat ? e : new Column(e).cast(DOUBLE_ARRAY).expr());
        }
        DataType out = resultType != null ? resultType : (allFloat ? FLOAT_ARRAY : DOUBLE_ARRAY);
        return invoke(VectorFunctions.class, out, method + (allFloat ? "Float" : "Double"), inputs);
    }

    // ------------------------------------------------------------------ model functions

    private static Expression clip(String function, List<Expression> args, String method, DataType inputType) {
        if (args.size() != 1 && args.size() != 2) {
            throw SqlErrors.analysis(function + " takes 1 or 2 arguments (input [, model]), got " + args.size());
        }
        Expression input = args.get(0);
        if (!(input.dataType() instanceof NullType) && !input.dataType().equals(inputType)) {
            throw SqlErrors.analysis(function + ": argument 1 (" + pretty(input) + ") is " + input.dataType().simpleString()
                    + "; expected " + inputType.simpleString());
        }
        String model = args.size() == 2 ? constantString(function, 2, args.get(1)) : null;
        ModelRef ref = SqlModels.resolve(function, model);
        if (input.dataType() instanceof NullType) {
            return Literal.create(null, FLOAT_ARRAY);
        }
        return invoke(ClipFunctions.class, FLOAT_ARRAY, method, List.of(input,
                Literal.create(ref.modelId(), DataTypes.StringType),
                Literal.create(ref.driverFolder().toString(), DataTypes.StringType),
                Literal.create(ref.shippedName() == null ? "" : ref.shippedName(), DataTypes.StringType)));
    }

    // ------------------------------------------------------------------ nearest_images

    private static LogicalPlan nearestImages(List<Expression> args) {
        String function = "nearest_images";
        if (args.size() != 2 && args.size() != 3) {
            throw SqlErrors.analysis(function + " takes 2 or 3 arguments (text, k [, model]), got " + args.size());
        }
        String text = constantString(function, 1, args.get(0));
        if (text == null) {
            throw SqlErrors.analysis(function + ": argument 1 (text) is NULL");
        }
        Object k = constant(function, 2, args.get(1));
        if (!(k instanceof Integer || k instanceof Long) || ((Number) k).longValue() < 1
                || ((Number) k).longValue() > Integer.MAX_VALUE) {
            throw SqlErrors.analysis(function + ": argument 2 (k) must be a positive INT, got " + pretty(args.get(1)));
        }
        String table = LakelensTables.IMAGE_EMBEDDINGS.qualifiedName();
        SparkSession spark = SparkSession.active();
        if (!spark.catalog().tableExists(table)) {
            throw SqlErrors.analysis(function + ": " + table + " does not exist in this warehouse;"
                    + " compute embeddings first with `lakelens embed`");
        }
        String modelId = SqlModels.modelIdFor(function, args.size() == 3 ? constantString(function, 3, args.get(2)) : null);
        String sql = "SELECT image_id, model_id, cosine_similarity(embedding, clip_text_embedding("
                + quote(text) + ", " + quote(modelId) + ")) AS score FROM " + table
                + " WHERE model_id = " + quote(modelId) + " ORDER BY score DESC NULLS LAST, image_id LIMIT " + k;
        try {
            return spark.sessionState().sqlParser().parsePlan(sql);
        } catch (Exception e) {
            throw SqlErrors.rethrow(e);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static String constantString(String function, int position, Expression e) {
        Object v = constant(function, position, e);
        if (v != null && !(v instanceof UTF8String)) {
            throw SqlErrors.analysis(function + ": argument " + position + " (" + pretty(e) + ") must be a STRING");
        }
        return v == null ? null : v.toString();
    }

    private static Object constant(String function, int position, Expression e) {
        if (!e.foldable()) {
            throw SqlErrors.analysis(function + ": argument " + position + " (" + pretty(e) + ") must be a constant");
        }
        return e.eval(null);
    }

    /** An argument as the user wrote it: literals quoted, columns without catalog qualifiers. */
    private static String pretty(Expression e) {
        return e instanceof Literal ? e.sql() : org.apache.spark.sql.catalyst.util.package$.MODULE$.toPrettySQL(e);
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static Expression invoke(Class<?> cls, DataType type, String method, List<Expression> args) {
        return new StaticInvoke(cls, type, method, seq(args), seq(List.<AbstractDataType>of()),
                true, true, true);
    }

    private static <T> Seq<T> seq(List<T> list) {
        return JavaConverters.asScalaBuffer(new ArrayList<>(list)).toSeq();
    }

    private static ExpressionInfo info(String name, String usage, String arguments, String examples) {
        String extended = "\n    Arguments:\n" + arguments + "\n    Examples:\n" + examples;
        return new ExpressionInfo(LakelensFunctions.class.getName(), null, name, usage, extended);
    }
}
