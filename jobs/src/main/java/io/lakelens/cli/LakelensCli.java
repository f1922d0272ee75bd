package io.lakelens.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParseResult;

/**
 * The {@code lakelens} command line: one entry point for people ({@code ./lakelens ...}) and for
 * clusters ({@code spark-submit --class io.lakelens.cli.LakelensCli lakelens-jobs.jar ...}).
 * Exit codes: 0 success, 1 failure, 2 bad usage.
 */
@Command(name = "lakelens", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Vision-language models (CLIP, BLIP) over Delta Lake tables with Spark.",
        subcommands = {
            IngestCommand.class,
            EmbedCommand.class,
            EmbedTextCommand.class,
            CaptionCommand.class,
            ZeroShotCommand.class,
            EvalCommand.class,
            CaptionEvalCommand.class,
            RetrievalEvalCommand.class,
            SqlCommand.class,
            SqlServerCommand.class,
            DashboardCommand.class,
            DemoCommand.class,
            NotebooksCommand.class,
            ModelCommand.class,
            BenchCommand.class,
            FinetuneCommand.class,
            CommandLine.HelpCommand.class
        })
public final class LakelensCli implements Runnable {

    @Mixin
    GlobalOptions global;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** The root command's global options, for a subcommand's spec. */
    static GlobalOptions globalOptions(CommandLine.Model.CommandSpec spec) {
        return ((LakelensCli) spec.root().userObject()).global;
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns the exit code (for tests and embedding). */
    public static int execute(String... args) {
        return newCommandLine().execute(args);
    }

    /** The configured command line, with lakelens's error handling. */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new LakelensCli());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    /** Failures print one line, "lakelens: error: ...", and a stack trace only with --verbose. */
    static final class ErrorHandler implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
            PrintWriter err = cmd.getErr();
            err.println("lakelens " + cmd.getCommandName() + ": error: " + ErrorMessages.oneLine(ex));
            if (isVerbose(parseResult)) {
                ex.printStackTrace(err);
            } else {
                err.println("(run with --verbose for details)");
            }
            err.flush();
            return 1;
        }

        private static boolean isVerbose(ParseResult pr) {
            return ((LakelensCli) pr.commandSpec().root().userObject()).global.verbose();
        }
    }
}
