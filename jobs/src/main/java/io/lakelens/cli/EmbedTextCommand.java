package io.lakelens.cli;

import io.lakelens.jobs.JobOptions;
import io.lakelens.jobs.embed.EmbedTextJob;
import io.lakelens.jobs.spark.LakelensSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "embed-text", mixinStandardHelpOptions = true,
        description = "Compute CLIP text embeddings into lakelens.text_embeddings (L2-normalised, one row per distinct"
                + " text and model, text_id = SHA-256 of the text). Texts already embedded by the model are skipped.",
        footer = {"", "Examples:",
                "  lakelens embed-text --input lakelens.reference_captions --column caption --model DIR",
                "  lakelens embed-text --input queries.txt --model hf://openai/clip-vit-base-patch32"})
public final class EmbedTextCommand extends SparkCommand {

    @Option(names = "--input", required = true, paramLabel = "TABLE|FILE",
            description = "A warehouse table, or a .txt (one text per line), .csv (with header), .json/.jsonl,"
                    + " .parquet file or a Delta folder.")
    String input;

    @Option(names = "--column", paramLabel = "NAME",
            description = "Column holding the text (default: text; each line for .txt).")
    String column;

    @Option(names = "--model", required = true, paramLabel = "DIR|hf://ORG/NAME[@REV]", description = JobOptions.MODEL_HELP)
    String model;

    @Option(names = "--device", defaultValue = JobOptions.DEFAULT_DEVICE, paramLabel = "auto|cpu|cuda:N",
            description = JobOptions.DEVICE_HELP)
    String device;

    @Option(names = "--batch-size", defaultValue = "64", paramLabel = "N", description = JobOptions.BATCH_SIZE_HELP)
    int batchSize;

    private EmbedTextJob.Options options;

    @Override
    protected void validate() {
        options = new EmbedTextJob.Options(input, column, model, device, batchSize);
    }

    @Override
    protected int run(LakelensSession session) {
        EmbedTextJob.Result r = new EmbedTextJob(session).run(options, System.out);
        System.out.println(r.summary());
        return 0;
    }
}
