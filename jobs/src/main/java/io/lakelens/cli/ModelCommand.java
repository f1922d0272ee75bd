package io.lakelens.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lakelens model ...}: the models on single files, without Spark, printing JSON lines. */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Run CLIP and BLIP on files and texts without Spark; one JSON line per input.",
        subcommands = {
            ModelDownloadCommand.class,
            ModelEmbedImagesCommand.class,
            ModelEmbedTextsCommand.class,
            ModelZeroShotCommand.class,
            ModelCaptionCommand.class
        })
public final class ModelCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a model command is required");
    }
}
