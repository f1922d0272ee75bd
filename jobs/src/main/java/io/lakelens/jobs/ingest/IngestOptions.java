package io.lakelens.jobs.ingest;

import java.io.Serializable;

/**
 * What {@code lakelens ingest} was asked to do.
 *
 * @param source a directory, a glob, or a manifest (.csv, .json/.jsonl, .parquet)
 * @param dataset the dataset name written with every row
 * @param labels where labels come from
 * @param labelColumn the manifest column holding labels (for {@link LabelSource#COLUMN})
 * @param captionsColumn the manifest column holding captions (a string, a JSON list in a string, or
 *     an array), or null for none
 * @param storeBytes keep the encoded bytes in the table (else reference only)
 * @param maxFileBytes files larger than this are quarantined unread
 * @param maxPixels images whose header claims more pixels are quarantined (decompression bombs)
 * @param fullDecode decode every image completely (detects truncation), not only its header
 */
public record IngestOptions(
        String source,
        String dataset,
        LabelSource labels,
        String labelColumn,
        String captionsColumn,
        boolean storeBytes,
        long maxFileBytes,
        long maxPixels,
        boolean fullDecode)
        implements Serializable {

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
}
