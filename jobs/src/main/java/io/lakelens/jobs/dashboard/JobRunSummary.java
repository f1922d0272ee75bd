package io.lakelens.jobs.dashboard;

import java.time.Instant;
import java.util.Map;

/** One row of {@code job_runs}; nullable fields are null as in the table. */
public record JobRunSummary(
        String runId,
        String job,
        String dataset,
        String modelId,
        Map<String, String> parameters,
        Map<String, Long> counts,
        String status,
        String error,
        Instant startedAt,
        Instant finishedAt,
        Double durationS,
        Double itemsPerS) {}
