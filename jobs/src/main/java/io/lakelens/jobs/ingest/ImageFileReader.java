package io.lakelens.jobs.ingest;

import io.lakelens.jobs.spark.HadoopConf;
import java.io.IOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Executor side of ingest: reads each candidate file, hashes it and checks that it is an image
 * lakelens can decode. Every candidate comes out as exactly one row, either an image (reason_code
 * NULL) or a quarantined input (reason_code set), so counts always add up.
 */
final class ImageFileReader implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    static final StructType OUTCOME_SCHEMA = new StructType()
            .add("uri", DataTypes.StringType, false)
            .add("label", DataTypes.StringType, true)
            .add("split", DataTypes.StringType, true)
            .add("captions", DataTypes.createArrayType(DataTypes.StringType, false), true)
            .add("image_id", DataTypes.StringType, true)
            .add("width", DataTypes.IntegerType, true)
            .add("height", DataTypes.IntegerType, true)
            .add("format", DataTypes.StringType, true)
            .add("color_mode", DataTypes.StringType, true)
            .add("byte_size", DataTypes.LongType, true)
            .add("content", DataTypes.BinaryType, true)
            .add("stage", DataTypes.StringType, true)
            .add("reason_code", DataTypes.StringType, true)
            .add("reason", DataTypes.StringType, true);

    private final HadoopConf hadoopConf;
    private final IngestOptions options;

    ImageFileReader(HadoopConf hadoopConf, IngestOptions options) {
        this.hadoopConf = hadoopConf;
        this.options = options;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> candidates) {
        ImageCheck check = new ImageCheck(options.maxPixels(), options.fullDecode());
        // Lazy: one file's bytes in memory at a time per task.
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return candidates.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return read(candidates.next(), check);
            }
        };
    }

    private Row read(Row candidate, ImageCheck check) {
        String uri = candidate.getString(0);
        byte[] bytes;
        long size;
        try {
            Path path = new Path(URI.create(uri.replace(" ", "%20")));
            FileSystem fs = path.getFileSystem(hadoopConf.get());
            FileStatus status = fs.getFileStatus(path);
            size = status.getLen();
            if (size == 0) {
                return quarantined(candidate, null, size, "read", "EMPTY", "file is empty (0 bytes)");
            }
            if (size > options.maxFileBytes()) {
                return quarantined(candidate, null, size, "read", "TOO_LARGE",
                        "file is " + size + " bytes, over the limit of " + options.maxFileBytes()
                                + " (--max-file-bytes)");
            }
            bytes = new byte[(int) size];
            try (FSDataInputStream in = fs.open(path)) {
                in.readFully(0, bytes);
            }
        } catch (IOException | RuntimeException e) {
            return quarantined(candidate, null, null, "read", "READ_ERROR", "cannot read file: " + e.getMessage());
        }
        String imageId = sha256(bytes);
        ImageCheck.Result r = check.inspect(bytes);
        if (r.reasonCode() != null) {
            return quarantined(candidate, imageId, size, "decode", r.reasonCode(), r.reason());
        }
        return RowFactory.create(
                uri, candidate.get(1), candidate.get(2), candidate.get(3),
                imageId, r.width(), r.height(), r.format(), r.colorMode(), size,
                options.storeBytes() ? bytes : null,
                null, null, null);
    }

    private static Row quarantined(Row c, String imageId, Long size, String stage, String code, String reason) {
        return RowFactory.create(c.getString(0), c.get(1), c.get(2), c.get(3), imageId,
                null, null, null, null, size, null, stage, code, reason);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the JDK", e);
        }
    }

}
