package io.lakelens.jobs.inference;

import io.lakelens.jobs.spark.HadoopConf;
import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The encoded bytes of an image row: the {@code content} column when ingest stored them, else the
 * file at {@code uri} (images ingested with {@code --reference-only}).
 */
public final class ImageSource {

    private ImageSource() {}

    public static byte[] bytes(byte[] content, String uri, HadoopConf hadoopConf) throws IOException {
        if (content != null) {
            return content;
        }
        Path path = new Path(URI.create(uri.replace(" ", "%20")));
        FileSystem fs = path.getFileSystem(hadoopConf.get());
        long length = fs.getFileStatus(path).getLen();
        if (length > Integer.MAX_VALUE) {
            throw new IOException(uri + " is too large (" + length + " bytes)");
        }
        byte[] bytes = new byte[(int) length];
        try (FSDataInputStream in = fs.open(path)) {
            in.readFully(0, bytes);
        }
        return bytes;
    }
}
