package io.lakelens.cli;

import io.lakelens.jobs.JobOptions;
import io.lakelens.models.runtime.ComputeDevice;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** Options of the {@code lakelens model} commands that read image files. */
public final class ModelFileOptions {

    @Option(names = "--model", required = true, paramLabel = "DIR|hf://ORG/NAME[@REV]", description = JobOptions.MODEL_HELP)
    String model;

    @Option(names = "--device", defaultValue = JobOptions.DEFAULT_DEVICE, paramLabel = "auto|cpu|cuda:N",
            description = JobOptions.DEVICE_HELP)
    String device;

    @Option(names = "--batch-size", defaultValue = "8", paramLabel = "N", description = JobOptions.BATCH_SIZE_HELP)
    int batchSize;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Image files.")
    List<Path> files;

    /** The shared checks of --model, --device and --batch-size; a bad value is a usage error. */
    void check(CommandSpec spec) {
        try {
            JobOptions.model(model);
            JobOptions.device(device);
            JobOptions.batchSize(batchSize);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    ComputeDevice device() {
        return ComputeDevice.parse(device, "auto");
    }
}
