package io.lakelens.models.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads one file into {@code blobs/ETAG}: into {@code ETAG.incomplete} first, resuming with a
 * Range request after a cut connection (in this run or an earlier one), then verified and renamed.
 * A blob that exists is therefore whole and verified.
 */
final class BlobDownloader {
    private static final Logger LOG = LoggerFactory.getLogger(BlobDownloader.class);
    private static final int BUFFER = 1 << 16;
    private static final long PROGRESS_STEP = 1 << 20;
    private static final Pattern CONTENT_RANGE_START = Pattern.compile("bytes\\s+(\\d+)-");

    private final HubClient client;
    private final Retry retry;
    private final DownloadListener listener;

    BlobDownloader(HubClient client, Retry retry, DownloadListener listener) {
        this.client = client;
        this.retry = retry;
        this.listener = listener;
    }

    /**
     * @param file   the file's name in the repo, for messages and progress
     * @param where  {@code hf://ORG/NAME@COMMIT}, for messages
     * @return the verified blob
     */
    Path fetch(HubCache cache, URI uri, HubClient.FileMetadata meta, String file, String where) throws IOException {
        Path blob = cache.blob(meta.etag());
        if (Files.isRegularFile(blob)) {
            return blob;
        }
        try (BlobLock lock = BlobLock.acquire(cache.lockFile(meta.etag()), file + " of " + where)) {
            if (Files.isRegularFile(blob)) {
                return blob; // another thread or process finished it while we waited
            }
            Path partial = cache.incompleteBlob(meta.etag());
            Files.createDirectories(partial.getParent());
            LOG.info("downloading {} of {} ({})", file, where, meta.size() < 0 ? "size unknown" : meta.size() + " bytes");
            retry.run("download of " + file + " of " + where, () -> {
                transfer(uri, partial, meta, file);
                return null;
            });
            verify(partial, meta, file, where);
            HubCache.moveReplacing(partial, blob);
            return blob;
        }
    }

    private void transfer(URI uri, Path partial, HubClient.FileMetadata meta, String file) throws IOException {
        long have = Files.exists(partial) ? Files.size(partial) : 0;
        if (meta.size() >= 0 && have > meta.size()) {
            Files.delete(partial);
            have = 0;
        }
        if (meta.size() >= 0 && have == meta.size()) {
            if (have == 0) {
                Files.write(partial, new byte[0]);
            }
            return; // an earlier attempt got every byte but stopped before verifying
        }
        HttpResponse<InputStream> response = client.download(uri, have);
        try (InputStream body = response.body()) {
            boolean append;
            switch (response.statusCode()) {
                case 206 -> {
                    long start = contentRangeStart(response, have);
                    if (start != have) {
                        Files.deleteIfExists(partial);
                        throw new IOException("server resumed " + file + " at byte " + start + " instead of " + have);
                    }
                    LOG.info("resuming {} at byte {}", file, have);
                    append = true;
                }
                case 200 -> {
                    if (have > 0) {
                        LOG.info("server ignored the Range request; downloading {} from the start", file);
                    }
                    have = 0;
                    append = false;
                }
                default -> { // 416: our partial file does not fit the server's; start over
                    Files.deleteIfExists(partial);
                    throw new IOException("server refused to resume " + file + " at byte " + have);
                }
            }
            long done = copy(body, partial, append, have, meta.size(), file);
            if (meta.size() >= 0 && done < meta.size()) {
                throw new IOException("connection closed after " + done + " of " + meta.size() + " bytes of " + file);
            }
        }
    }

    private long copy(InputStream body, Path partial, boolean append, long have, long total, String file) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long done = have;
        long reported = have;
        listener.onProgress(file, done, total);
        try (OutputStream out = openPartial(partial, append)) {
            for (int n; (n = read(body, buffer, done, total, file)) >= 0; ) {
                write(out, buffer, n, partial);
                done += n;
                if (done - reported >= PROGRESS_STEP) {
                    listener.onProgress(file, done, total);
                    reported = done;
                }
            }
        }
        if (reported != done) {
            listener.onProgress(file, done, total);
        }
        return done;
    }

    // The JDK reports a dropped connection as a bare "closed"; say how far the transfer got.
    private static int read(InputStream body, byte[] buffer, long done, long total, String file) throws IOException {
        try {
            return body.read(buffer);
        } catch (IOException e) {
            throw new IOException("connection lost after " + done + (total < 0 ? "" : " of " + total) + " bytes of " + file
                    + " (" + Retry.describe(e) + ")", e);
        }
    }

    // Disk errors are not network errors: retrying them would only repeat the failure, so they
    // leave the retry loop as a ModelResolveException.
    private static OutputStream openPartial(Path partial, boolean append) {
        try {
            return append
                    ? Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.APPEND)
                    : Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                            StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw cacheWriteFailed(partial, e);
        }
    }

    private static void write(OutputStream out, byte[] buffer, int n, Path partial) {
        try {
            out.write(buffer, 0, n);
        } catch (IOException e) {
            throw cacheWriteFailed(partial, e);
        }
    }

    private static ModelResolveException cacheWriteFailed(Path partial, IOException e) {
        return new ModelResolveException("cannot write " + partial + " (" + e.getMessage()
                + "); check free space and permissions, or set LAKELENS_HUB_CACHE to another folder", e);
    }

    private static long contentRangeStart(HttpResponse<?> response, long asked) {
        // A 206 without Content-Range starts where we asked; some proxies omit it.
        return response.headers().firstValue("Content-Range")
                .map(CONTENT_RANGE_START::matcher)
                .filter(Matcher::lookingAt)
                .map(m -> Long.parseLong(m.group(1)))
                .orElse(asked);
    }

    /**
     * LFS files must hash to their ETag; other files must have the announced size. The hash is
     * taken from disk after the download because a resumed file was written by several attempts,
     * perhaps by several processes.
     */
    private static void verify(Path partial, HubClient.FileMetadata meta, String file, String where) throws IOException {
        long actualSize = Files.size(partial);
        if (meta.sha256() != null) {
            String actual = Sha256.hex(partial);
            if (!actual.equalsIgnoreCase(meta.sha256())) {
                Files.deleteIfExists(partial);
                throw new ModelResolveException(file + " of " + where + " is corrupt: expected sha256 " + meta.sha256()
                        + ", got " + actual + " (" + actualSize + " bytes); deleted it, run again to download it anew");
            }
        } else if (meta.size() >= 0 && actualSize != meta.size()) {
            Files.deleteIfExists(partial);
            throw new ModelResolveException(file + " of " + where + " is corrupt: expected " + meta.size()
                    + " bytes, got " + actualSize + "; deleted it, run again to download it anew");
        }
    }
}
