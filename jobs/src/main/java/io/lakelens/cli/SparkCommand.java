package io.lakelens.cli;

import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.spark.SessionOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that runs in a Spark session on the warehouse; the session is closed afterwards. */
public abstract class SparkCommand implements Callable<Integer> {

    @Mixin
    protected GlobalOptions global;

    @Spec
    protected CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        validate();
        SessionOptions options = new SessionOptions(
                "lakelens " + spec.qualifiedName(" ").replaceFirst("^lakelens ", ""),
                global.warehouse(), global.master, global.conf);
        try (LakelensSession session = LakelensSession.start(options)) {
            return run(session);
        }
    }

    /** Checks options that picocli cannot, before Spark starts; throw {@code ParameterException}. */
    protected void validate() {}

    /** The command's work; returns the exit code. */
    protected abstract int run(LakelensSession session) throws Exception;
}
