package io.lakelens.jobs.dashboard;

import java.time.Instant;
import java.util.Map;

/** One row of {@code training_runs}; {@code finishedAt} and {@code bestCheckpoint} may be null. */
public record TrainingRun(
        String runId,
        String modelId,
        String dataset,
        String outputDir,
        Map<String, String> parameters,
        String status,
        String bestCheckpoint,
        Instant startedAt,
        Instant finishedAt) {}
