package io.lakelens.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lakelens eval ...}: evaluation on files, without Spark. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate on files without Spark (the table-based evaluations are caption-eval and retrieval-eval).",
        subcommands = {EvalCaptionsCommand.class})
public final class EvalCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "an eval command is required");
    }
}
