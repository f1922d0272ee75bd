package io.lakelens.cli;

import io.lakelens.jobs.embed.EmbedJob;
import io.lakelens.jobs.inference.ChunkedImageJob;
import io.lakelens.jobs.spark.LakelensSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Compute CLIP image embeddings of a dataset into lakelens.image_embeddings (L2-normalised,"
                + " one row per image and model). Only images without an embedding for this model are computed;"
                + " results are committed every --chunk-size images, so a rerun after a crash finishes the job.")
public final class EmbedCommand extends SparkCommand {

    @Mixin
    ModelJobOptions job;

    private EmbedJob.Options options;

    @Override
    protected void validate() {
        options = job.embed();
    }

    @Override
    protected int run(LakelensSession session) {
        ChunkedImageJob.Result r = new EmbedJob(session).run(options, System.out);
        System.out.println(r.summary("embed"));
        return 0;
    }
}
