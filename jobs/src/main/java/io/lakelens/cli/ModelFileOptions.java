package io.lakelens.cli;

import io.lakelens.models.runtime.ComputeDevice;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Options of the {@code lakelens model} commands that read image files. */
public final class ModelFileOptions {

    @Option(names = "--model", required = true, paramLabel = "DIR|hf://ORG/NAME[@REV]",
            description = "Model folder in Hugging Face layout, or a Hub id.")
    String model;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda:N", description = "Where to run (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--batch-size", defaultValue = "8", paramLabel = "N", description = "Images per model call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Image files.")
    List<Path> files;

    ComputeDevice device() {
        return ComputeDevice.parse(device, "auto");
    }
}
