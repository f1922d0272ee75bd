package io.lakelens.cli;

import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.spark.SessionOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that runs in a Spark session on the warehouse; the session is closed afterwards. */
public abstract class SparkCommand implements Callable<Integer> {

    @Spec
    protected CommandSpec spec;

    /** The global options (inherited from the root command, given before or after the command name). */
    protected GlobalOptions global;

    @Override
    public final Integer call() throws Exception {
        global = LakelensCli.globalOptions(spec);
        try {
            validate();
        } catch (IllegalArgumentException e) {
            // A job's options object refused a value: a usage error, before Spark starts.
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        SessionOptions options = new SessionOptions(
                "lakelens " + spec.qualifiedName(" ").replaceFirst("^lakelens ", ""),
                global.warehouse(), global.master, global.conf);
        try (LakelensSession session = LakelensSession.start(options)) {
            return run(session);
        }
    }

    /**
     * Builds the command's options object, which checks what picocli cannot, before Spark starts; an
     * {@code IllegalArgumentException} (or a {@code ParameterException}) becomes a usage error.
     */
    protected void validate() {}

    /** The command's work; returns the exit code. */
    protected abstract int run(LakelensSession session) throws Exception;
}
