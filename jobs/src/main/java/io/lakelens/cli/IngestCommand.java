package io.lakelens.cli;

import io.lakelens.jobs.ingest.IngestJob;
import io.lakelens.jobs.ingest.IngestOptions;
import io.lakelens.jobs.ingest.IngestOptions.LabelSource;
import io.lakelens.jobs.ingest.IngestResult;
import io.lakelens.jobs.spark.LakelensSession;
import java.util.Locale;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {
            "Bring images into the Delta table lakelens.images (and captions into lakelens.reference_captions).",
            "Idempotent: rows are merged on (dataset, image_id = SHA-256 of the bytes); a rerun adds nothing.",
            "Unreadable, empty, truncated, non-image or oversized files go to lakelens.quarantine with the reason."
        })
public final class IngestCommand extends SparkCommand {

    @Option(names = "--source", required = true, paramLabel = "DIR|GLOB|MANIFEST",
            description = "A directory (searched recursively), a glob such as 'photos/*.jpg', or a manifest"
                    + " (.csv with a header, .json/.jsonl lines, .parquet) with a 'path' column; manifest paths are"
                    + " relative to the manifest's folder.")
    String source;

    @Option(names = "--dataset", required = true, paramLabel = "NAME", description = "Dataset name stored with every row.")
    String dataset;

    @Option(names = "--labels", paramLabel = "folder|column|none",
            description = "Where labels come from: the file's folder name, a manifest column (see --label-column),"
                    + " or none. Default: column for a manifest with a 'label' column, folder otherwise.")
    String labels;

    @Option(names = "--label-column", paramLabel = "NAME", defaultValue = "label",
            description = "Manifest column holding labels (default: ${DEFAULT-VALUE}).")
    String labelColumn;

    @Option(names = "--captions", paramLabel = "COLUMN",
            description = "Manifest column holding reference captions: a string, a JSON list in a string, or a list.")
    String captionsColumn;

    @ArgGroup(exclusive = true)
    BytesChoice bytes = new BytesChoice();

    static final class BytesChoice {
        @Option(names = "--store-bytes", description = "Keep the image bytes in the table (default).")
        boolean store;

        @Option(names = "--reference-only", description = "Store only the path; jobs read the file again when needed.")
        boolean referenceOnly;
    }

    @Option(names = "--max-file-bytes", paramLabel = "N", defaultValue = "" + IngestOptions.DEFAULT_MAX_FILE_BYTES,
            description = "Quarantine files larger than this without reading them (default: ${DEFAULT-VALUE}).")
    long maxFileBytes;

    @Option(names = "--max-pixels", paramLabel = "N", defaultValue = "" + IngestOptions.DEFAULT_MAX_PIXELS,
            description = "Quarantine images whose header claims more pixels (decompression bombs; default: ${DEFAULT-VALUE}).")
    long maxPixels;

    @Option(names = "--header-only", description = "Check only each image's header, not a full decode (faster;"
            + " truncated files are then found later by the jobs that decode them).")
    boolean headerOnly;

    private IngestOptions options;

    @Override
    protected void validate() {
        if (labels != null && !labels.matches("(?i)folder|column|none")) {
            throw new ParameterException(spec.commandLine(), "--labels '" + labels + "': use folder, column or none");
        }
        LabelSource labelSource = labels == null ? null : LabelSource.valueOf(labels.toUpperCase(Locale.ROOT));
        options = IngestOptions.builder(source, dataset).labels(labelSource, labelColumn).captions(captionsColumn)
                .storeBytes(!bytes.referenceOnly).limits(maxFileBytes, maxPixels).fullDecode(!headerOnly).build();
    }

    @Override
    protected int run(LakelensSession session) {
        IngestResult result = new IngestJob(session).run(options);
        spec.commandLine().getOut().println(result.summary());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
