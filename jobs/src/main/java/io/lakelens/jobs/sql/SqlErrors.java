package io.lakelens.jobs.sql;

import org.apache.spark.QueryContext;
import org.apache.spark.sql.AnalysisException;
import scala.Option;
import scala.collection.immutable.Map$;

/** Errors that SQL users see as analysis errors: before any job runs, one line, naming the function. */
final class SqlErrors {

    private SqlErrors() {}

    /**
     * Throws an {@link AnalysisException} (checked in Java, not in the Scala code that calls the
     * function builders); declared to return one so call sites read {@code throw SqlErrors.analysis(...)}.
     */
    static RuntimeException analysis(String message) {
        return analysis(message, null);
    }

    static RuntimeException analysis(String message, Throwable cause) {
        AnalysisException e = new AnalysisException(message, Option.empty(), Option.empty(), Option.apply(cause),
                Option.empty(), Map$.MODULE$.<String, String>empty(), new QueryContext[0]);
        throw SqlErrors.<RuntimeException>sneaky(e);
    }

    /** Rethrows a checked exception (a {@code ParseException}, say) unchanged. */
    static RuntimeException rethrow(Exception e) {
        throw SqlErrors.<RuntimeException>sneaky(e);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
