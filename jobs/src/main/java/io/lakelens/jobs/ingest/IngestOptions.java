package io.lakelens.jobs.ingest;

import io.lakelens.jobs.JobOptions;
import java.io.Serializable;
import java.util.Objects;

/**
 * What {@code lakelens ingest} was asked to do; built with {@link #builder}, whose defaults are the
 * CLI's, and checked when built.
 */
public final class IngestOptions implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Where labels come from. */
    public enum LabelSource {
        /** The name of the folder holding the file. */
        FOLDER,
        /** A manifest column. */
        COLUMN,
        /** No labels. */
        NONE
    }

    public static final long DEFAULT_MAX_FILE_BYTES = 64L << 20;
    /** Pillow's MAX_IMAGE_PIXELS, the limit the Python ecosystem is used to. */
    public static final long DEFAULT_MAX_PIXELS = 89_478_485L;

    private final String source;
    private final String dataset;
    private final LabelSource labels;
    private final String labelColumn;
    private final String captionsColumn;
    private final boolean storeBytes;
    private final long maxFileBytes;
    private final long maxPixels;
    private final boolean fullDecode;

    private IngestOptions(Builder b) {
        source = Objects.requireNonNull(b.source, "--source");
        dataset = JobOptions.dataset(b.dataset);
        labels = b.labels;
        labelColumn = b.labelColumn;
        captionsColumn = b.captionsColumn;
        storeBytes = b.storeBytes;
        maxFileBytes = b.maxFileBytes;
        maxPixels = b.maxPixels;
        fullDecode = b.fullDecode;
        if (maxFileBytes <= 0 || maxPixels <= 0) {
            throw new IllegalArgumentException("--max-file-bytes and --max-pixels must be positive");
        }
    }

    /**
     * @param source a directory, a glob, or a manifest (.csv, .json/.jsonl, .parquet)
     * @param dataset the dataset name written with every row
     */
    public static Builder builder(String source, String dataset) {
        Builder b = new Builder();
        b.source = source;
        b.dataset = dataset;
        return b;
    }

    public String source() { return source; }
    public String dataset() { return dataset; }
    /** Where labels come from; null: a manifest's {@code label} column if it has one, else the folder. */
    public LabelSource labels() { return labels; }
    /** The manifest column holding labels (for {@link LabelSource#COLUMN}). */
    public String labelColumn() { return labelColumn; }
    /** The manifest column holding captions (a string, a JSON list in a string, or an array), or null. */
    public String captionsColumn() { return captionsColumn; }
    /** Keep the encoded bytes in the table (else reference only). */
    public boolean storeBytes() { return storeBytes; }
    /** Files larger than this are quarantined unread. */
    public long maxFileBytes() { return maxFileBytes; }
    /** Images whose header claims more pixels are quarantined (decompression bombs). */
    public long maxPixels() { return maxPixels; }
    /** Decode every image completely (detects truncation), not only its header. */
    public boolean fullDecode() { return fullDecode; }

    public static final class Builder {
        private String source;
        private String dataset;
        private LabelSource labels;
        private String labelColumn = "label";
        private String captionsColumn;
        private boolean storeBytes = true;
        private long maxFileBytes = DEFAULT_MAX_FILE_BYTES;
        private long maxPixels = DEFAULT_MAX_PIXELS;
        private boolean fullDecode = true;

        private Builder() {}

        /** @param source null for the automatic choice; @param column the manifest column for COLUMN */
        public Builder labels(LabelSource source, String column) {
            labels = source;
            labelColumn = column;
            return this;
        }

        public Builder captions(String column) {
            captionsColumn = column;
            return this;
        }

        public Builder storeBytes(boolean store) {
            storeBytes = store;
            return this;
        }

        public Builder limits(long fileBytes, long pixels) {
            maxFileBytes = fileBytes;
            maxPixels = pixels;
            return this;
        }

        public Builder fullDecode(boolean full) {
            fullDecode = full;
            return this;
        }

        public IngestOptions build() {
            return new IngestOptions(this);
        }
    }
}
