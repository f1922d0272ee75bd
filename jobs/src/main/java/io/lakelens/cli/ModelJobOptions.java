package io.lakelens.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Options shared by the jobs that run a model over a dataset's images (embed, caption). */
public final class ModelJobOptions {

    @Option(names = "--dataset", required = true, paramLabel = "NAME", description = "Dataset to process.")
    String dataset;

    @Option(names = "--model", required = true, paramLabel = "DIR|hf://ORG/NAME[@REV]",
            description = "Model: a local folder in Hugging Face layout or a Hub id (downloaded into the cache).")
    String model;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda:N",
            description = "Where the model runs (default: ${DEFAULT-VALUE}: the GPU Spark assigned to the task, else CPU).")
    String device;

    @Option(names = "--batch-size", defaultValue = "16", paramLabel = "N",
            description = "Images per model call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--chunk-size", defaultValue = "1024", paramLabel = "N",
            description = "Images per commit; a crash loses at most one chunk (default: ${DEFAULT-VALUE}).")
    int chunkSize;

    @Option(names = "--retry-quarantined",
            description = "Try again images that an earlier run of this job and model quarantined.")
    boolean retryQuarantined;

    void validate(CommandSpec spec) {
        if (batchSize < 1 || batchSize > 4096) {
            throw new ParameterException(spec.commandLine(), "--batch-size must be between 1 and 4096, is " + batchSize);
        }
        if (chunkSize < 1) {
            throw new ParameterException(spec.commandLine(), "--chunk-size must be positive, is " + chunkSize);
        }
        if (!device.matches("auto|cpu|(cuda|gpu)(:\\d+)?")) {
            throw new ParameterException(spec.commandLine(), "--device '" + device + "': use auto, cpu or cuda:N");
        }
    }
}
