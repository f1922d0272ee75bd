package io.lakelens.jobs.ingest;

import io.lakelens.jobs.LakelensException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Lists the files of a directory or glob into a text file, one path per line, streaming: the driver
 * never holds the list, however many files there are. Spark's own file sources cannot be used for
 * this listing because they silently skip zero-byte files, which ingest must quarantine.
 * Hidden entries (names starting with '.') are skipped, as Spark and Hadoop tools do.
 */
final class FileLister {

    private FileLister() {}

    /**
     * Writes every regular file under {@code location} (recursively) to {@code listFile}.
     *
     * @return the number of files listed
     */
    static long list(FileSystem fs, Path location, boolean glob, FileSystem listFs, Path listFile) throws IOException {
        long count = 0;
        try (BufferedWriter out = new BufferedWriter(
                new OutputStreamWriter(listFs.create(listFile, true), StandardCharsets.UTF_8))) {
            if (glob) {
                FileStatus[] matches = fs.globStatus(location, p -> !p.getName().startsWith("."));
                if (matches != null) {
                    for (FileStatus match : matches) {
                        count += match.isDirectory() ? listTree(fs, match.getPath(), out) : write(match.getPath(), out);
                    }
                }
            } else {
                count = listTree(fs, location, out);
            }
        }
        if (count == 0) {
            throw new LakelensException("--source " + location + ": no files found");
        }
        return count;
    }

    private static long listTree(FileSystem fs, Path dir, BufferedWriter out) throws IOException {
        long count = 0;
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
        while (it.hasNext()) {
            LocatedFileStatus f = it.next();
            if (!isHidden(dir, f.getPath())) {
                count += write(f.getPath(), out);
            }
        }
        return count;
    }

    /** Hidden if any path component below the listed root starts with '.'. */
    private static boolean isHidden(Path root, Path file) {
        for (Path p = file; p != null && !p.equals(root) && p.getParent() != null; p = p.getParent()) {
            if (p.getName().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static long write(Path file, BufferedWriter out) throws IOException {
        String s = file.toString();
        if (s.contains("\n")) {
            throw new LakelensException("file name with a line break is not supported: " + s.replace("\n", "\\n"));
        }
        out.write(s);
        out.write('\n');
        return 1;
    }
}
