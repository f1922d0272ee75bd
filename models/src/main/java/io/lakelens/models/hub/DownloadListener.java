package io.lakelens.models.hub;

/**
 * Progress of one file's download, for the CLI's progress line. Called on the downloading thread:
 * when a file starts, about every MiB, and when it is complete. {@code bytesDone} counts bytes
 * already on disk, so a resumed download starts above zero.
 */
@FunctionalInterface
public interface DownloadListener {
    DownloadListener NONE = (file, bytesDone, totalBytes) -> { };

    /** @param totalBytes the file's size, or -1 when the Hub did not say. */
    void onProgress(String file, long bytesDone, long totalBytes);
}
