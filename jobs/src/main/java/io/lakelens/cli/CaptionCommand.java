package io.lakelens.cli;

import io.lakelens.jobs.caption.CaptionJob;
import io.lakelens.jobs.inference.ChunkedImageJob;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.models.generation.GenerationConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "caption", mixinStandardHelpOptions = true,
        description = "Generate BLIP captions of a dataset into lakelens.generated_captions, one row per image, model"
                + " and decoding options. Only images without a caption for these options are captioned; results are"
                + " committed every --chunk-size images.")
public final class CaptionCommand extends SparkCommand {

    @Mixin
    ModelJobOptions job;

    @Mixin
    DecodingOptions decoding;

    private CaptionJob.Options options;

    @Override
    protected void validate() {
        GenerationConfig generation = decoding.toConfig(spec);
        options = new CaptionJob.Options(job.dataset, job.model, job.device, generation, job.batchSize, job.chunkSize,
                job.retryQuarantined);
    }

    @Override
    protected int run(LakelensSession session) {
        ChunkedImageJob.Result r = new CaptionJob(session).run(options, System.out);
        System.out.println(r.summary("caption"));
        return 0;
    }
}
