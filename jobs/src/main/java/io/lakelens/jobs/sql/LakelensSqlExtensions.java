package io.lakelens.jobs.sql;

import io.lakelens.jobs.spark.SessionExtension;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.Tuple3;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;

/**
 * Adds the lakelens SQL functions ({@link LakelensFunctions}) to every session of a Spark
 * application: named in {@code spark.sql.extensions} beside Delta's, so the Thrift server's
 * per-connection sessions get them too.
 */
public final class LakelensSqlExtensions extends AbstractFunction1<SparkSessionExtensions, BoxedUnit>
        implements SessionExtension {

    /** The class name to list in {@code spark.sql.extensions}. */
    public static final String CLASS_NAME = LakelensSqlExtensions.class.getName();

    @Override
    public BoxedUnit apply(SparkSessionExtensions extensions) {
        for (LakelensFunctions.Scalar f : LakelensFunctions.scalars()) {
            extensions.injectFunction(new Tuple3<>(FunctionIdentifier.apply(f.name()), f.info(), scalarBuilder(f)));
        }
        for (LakelensFunctions.Table f : LakelensFunctions.tables()) {
            extensions.injectTableFunction(new Tuple3<>(FunctionIdentifier.apply(f.name()), f.info(), tableBuilder(f)));
        }
        return BoxedUnit.UNIT;
    }

    @Override
    public String sparkExtensionClass() {
        return CLASS_NAME;
    }

    /**
     * Registers the functions in a session started without the extension (a notebook's, or one
     * built by other code); a no-op where they are present.
     */
    @Override
    public void registerInto(SparkSession spark) {
        var functions = spark.sessionState().functionRegistry();
        for (LakelensFunctions.Scalar f : LakelensFunctions.scalars()) {
            FunctionIdentifier id = FunctionIdentifier.apply(f.name());
            if (!functions.functionExists(id)) {
                functions.registerFunction(id, f.info(), scalarBuilder(f));
            }
        }
        var tables = spark.sessionState().tableFunctionRegistry();
        for (LakelensFunctions.Table f : LakelensFunctions.tables()) {
            FunctionIdentifier id = FunctionIdentifier.apply(f.name());
            if (!tables.functionExists(id)) {
                tables.registerFunction(id, f.info(), tableBuilder(f));
            }
        }
    }

    private static scala.Function1<Seq<Expression>, Expression> scalarBuilder(LakelensFunctions.Scalar f) {
        return new AbstractFunction1<>() {
            @Override
            public Expression apply(Seq<Expression> args) {
                return f.builder().apply(javaList(args));
            }
        };
    }

    private static scala.Function1<Seq<Expression>, LogicalPlan> tableBuilder(LakelensFunctions.Table f) {
        return new AbstractFunction1<>() {
            @Override
            public LogicalPlan apply(Seq<Expression> args) {
                return f.builder().apply(javaList(args));
            }
        };
    }

    private static List<Expression> javaList(Seq<Expression> args) {
        return List.copyOf(JavaConverters.seqAsJavaList(args));
    }
}
