package io.lakelens.cli;

import io.lakelens.jobs.embed.EmbedTextJob;
import io.lakelens.jobs.spark.LakelensSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

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

    @Option(names = "--model", required = true, paramLabel = "DIR|hf://ORG/NAME[@REV]",
            description = "CLIP model: a local folder in Hugging Face layout or a Hub id.")
    String model;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda:N",
            description = "Where the model runs (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--batch-size", defaultValue = "64", paramLabel = "N",
            description = "Texts per model call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Override
    protected void validate() {
        if (batchSize < 1 || batchSize > 4096) {
            throw new ParameterException(spec.commandLine(), "--batch-size must be between 1 and 4096, is " + batchSize);
        }
        if (!device.matches("auto|cpu|(cuda|gpu)(:\\d+)?")) {
            throw new ParameterException(spec.commandLine(), "--device '" + device + "': use auto, cpu or cuda:N");
        }
    }

    @Override
    protected int run(LakelensSession session) {
        EmbedTextJob.Result r = new EmbedTextJob(session).run(
                new EmbedTextJob.Options(input, column, model, device, batchSize), System.out);
        System.out.println(r.summary());
        return 0;
    }
}
