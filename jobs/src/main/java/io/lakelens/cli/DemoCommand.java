package io.lakelens.cli;

import io.lakelens.jobs.LakelensException;
import io.lakelens.jobs.demo.DemoModels;
import io.lakelens.jobs.demo.DemoPipeline;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.models.hub.DemoCheckpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the main path on the bundled samples: ingest data-samples/openclipart, embed with CLIP,"
                + " caption with BLIP, write the zero-shot report and the dashboard. Uses the published models when"
                + " they can be had, else the tiny test models (and says their results are meaningless).")
public final class DemoCommand extends SparkCommand {

    @Option(names = "--clip-model", paramLabel = "DIR|hf://...", description = "CLIP model (default: " + DemoModels.PUBLISHED_CLIP + ").")
    String clipModel;

    @Option(names = "--blip-model", paramLabel = "DIR|hf://...", description = "BLIP captioning model (default: " + DemoModels.PUBLISHED_BLIP + ").")
    String blipModel;

    @Option(names = "--samples", paramLabel = "DIR", description = "Sample folder with manifest.jsonl and labels.txt"
            + " (default: data-samples/openclipart of the lakelens checkout).")
    Path samples;

    @Override
    protected int run(LakelensSession session) throws Exception {
        Path home = Path.of(System.getenv().getOrDefault("LAKELENS_HOME", ".")).toAbsolutePath().normalize();
        Path folder = samples != null ? samples : home.resolve("data-samples/openclipart");
        if (!Files.isRegularFile(folder.resolve("manifest.jsonl")) || !Files.isRegularFile(folder.resolve("labels.txt"))) {
            throw new LakelensException(folder + ": no manifest.jsonl and labels.txt (use --samples)");
        }
        DemoModels.Choice models = DemoModels.choose(DemoCheckpoints.defaultRoot(), clipModel, blipModel, System.out);
        new DemoPipeline(session, System.out).run(folder, models);
        return 0;
    }
}
