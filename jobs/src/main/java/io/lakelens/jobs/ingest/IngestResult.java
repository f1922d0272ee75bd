package io.lakelens.jobs.ingest;

/**
 * Counts of one ingest run. {@code read = ingested + duplicates + quarantined} always holds:
 * every file read is either a new image, an image the dataset already had (or a copy of one read in
 * the same run), or quarantined with its reason.
 */
public record IngestResult(
        String runId, long read, long ingested, long duplicates, long quarantined, long captionsWritten, double seconds) {

    /** The line the CLI prints. */
    public String summary() {
        return String.format(
                "read %d = ingested %d + duplicates %d + quarantined %d; %d new reference captions (%.1f s, run %s)",
                read, ingested, duplicates, quarantined, captionsWritten, seconds, runId);
    }
}
