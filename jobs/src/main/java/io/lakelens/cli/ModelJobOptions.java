package io.lakelens.cli;

import io.lakelens.jobs.JobOptions;
import io.lakelens.jobs.embed.EmbedJob;
import io.lakelens.jobs.inference.ImageJobOptions;
import picocli.CommandLine.Option;

/** Options shared by the jobs that run a model over a dataset's images (embed, caption, zeroshot). */
public final class ModelJobOptions {

    @Option(names = "--dataset", required = true, paramLabel = "NAME", description = JobOptions.DATASET_HELP)
    String dataset;

    @Option(names = "--model", required = true, paramLabel = "DIR|hf://ORG/NAME[@REV]", description = JobOptions.MODEL_HELP)
    String model;

    @Option(names = "--device", defaultValue = JobOptions.DEFAULT_DEVICE, paramLabel = "auto|cpu|cuda:N",
            description = JobOptions.DEVICE_HELP)
    String device;

    @Option(names = "--batch-size", defaultValue = "16", paramLabel = "N", description = JobOptions.BATCH_SIZE_HELP)
    int batchSize;

    @Option(names = "--chunk-size", defaultValue = "" + ImageJobOptions.DEFAULT_CHUNK_SIZE, paramLabel = "N",
            description = "Images per commit; a crash loses at most one chunk (default: ${DEFAULT-VALUE}).")
    int chunkSize;

    @Option(names = "--retry-quarantined",
            description = "Try again images that an earlier run of this job and model quarantined.")
    boolean retryQuarantined;

    /** The embed options these give (checked; a bad value is an {@code IllegalArgumentException}). */
    EmbedJob.Options embed() {
        return new EmbedJob.Options(dataset, model, device, batchSize, chunkSize, retryQuarantined);
    }
}
