package io.lakelens.models.hub;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets one downloader at a time write a blob. Spark runs many tasks per executor JVM and many
 * executors per machine, and each may resolve the same model at once; two writers appending to one
 * {@code .incomplete} file would corrupt it. A file lock covers other processes; it cannot cover
 * threads of one JVM (the JDK throws instead of waiting), hence the in-process lock in front of it.
 */
final class BlobLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BlobLock.class);
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock threadLock;
    private final FileChannel channel;
    private final FileLock fileLock;

    private BlobLock(ReentrantLock threadLock, FileChannel channel, FileLock fileLock) {
        this.threadLock = threadLock;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    static BlobLock acquire(Path lockFile, String what) throws IOException {
        ReentrantLock threadLock = IN_PROCESS.computeIfAbsent(lockFile.toAbsolutePath(), k -> new ReentrantLock());
        if (!threadLock.tryLock()) {
            LOG.info("waiting for another thread downloading {}", what);
            threadLock.lock();
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(lockFile.getParent());
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock fileLock = channel.tryLock();
            if (fileLock == null) {
                LOG.info("waiting for another process downloading {} (lock {})", what, lockFile);
                fileLock = channel.lock();
            }
            return new BlobLock(threadLock, channel, fileLock);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            threadLock.unlock();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            fileLock.release();
            channel.close();
        } finally {
            threadLock.unlock();
        }
    }
}
