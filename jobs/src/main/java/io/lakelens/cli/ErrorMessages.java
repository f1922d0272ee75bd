package io.lakelens.cli;

import org.apache.spark.sql.AnalysisException;

/** Turns exceptions into the one-line messages users see. */
final class ErrorMessages {

    private ErrorMessages() {}

    /** The first line of the most useful message in the cause chain. */
    static String oneLine(Throwable e) {
        Throwable t = e;
        // Spark wraps executor failures; the root cause names the real problem.
        while (t.getCause() != null && t.getCause() != t
                && (t.getMessage() == null || t instanceof java.util.concurrent.ExecutionException
                        || t.getClass().getName().equals("org.apache.spark.SparkException"))) {
            t = t.getCause();
        }
        // Spark's analysis errors end with generic hints and the plan; the first line says it all.
        String msg = t instanceof AnalysisException ae ? ae.getSimpleMessage().split("\n")[0] : t.getMessage();
        if (msg == null || msg.isBlank()) {
            msg = t.getClass().getSimpleName();
        }
        return msg.strip();
    }
}
