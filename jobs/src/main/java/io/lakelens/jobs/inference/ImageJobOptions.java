package io.lakelens.jobs.inference;

import io.lakelens.jobs.JobOptions;

/**
 * The options every model job over a dataset's images has (embed, caption, and zero-shot's embed
 * step), with one set of checks ({@link #check}) that each job's options record calls when built.
 */
public interface ImageJobOptions {

    /** Images per commit when none is given: a crash loses at most this many. */
    int DEFAULT_CHUNK_SIZE = 1024;

    String dataset();

    /** A model folder or {@code hf://} spec. */
    String model();

    /** {@code auto}, {@code cpu} or {@code cuda:N}; a GPU Spark assigned to the task wins. */
    String device();

    /** Images per model call. */
    int batchSize();

    /** Images per commit. */
    int chunkSize();

    /** Whether images quarantined by an earlier run of the job and model are tried again. */
    boolean retryQuarantined();

    /** The shared checks ({@link JobOptions}); call from a compact constructor. */
    static void check(String dataset, String model, String device, int batchSize, int chunkSize) {
        JobOptions.dataset(dataset);
        JobOptions.model(model);
        JobOptions.device(device);
        JobOptions.batchSize(batchSize);
        JobOptions.atLeastOne("--chunk-size", chunkSize);
    }
}
