package io.lakelens.cli;

import io.lakelens.jobs.embed.EmbedJob;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.zeroshot.ZeroShotJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "zeroshot", mixinStandardHelpOptions = true,
        description = "Zero-shot classification report of a CLIP model on a labelled dataset: top-1/top-5 accuracy,"
                + " balanced accuracy, per-class precision/recall/F1, confusion matrix and most confused pairs, stored in"
                + " lakelens.eval_runs/eval_per_class/eval_confusion/eval_predictions and written as report.json and"
                + " report.md. Images without an embedding are embedded first.")
public final class ZeroShotCommand extends SparkCommand {

    @Mixin
    ModelJobOptions job;

    @Option(names = "--labels", required = true, paramLabel = "FILE|a,b,c",
            description = "The classes: a file with one label per line ('label' or 'label: prompt name'), or a"
                    + " comma-separated list. Labels are matched with images.label.")
    String labels;

    @Option(names = "--templates", defaultValue = "single", paramLabel = "single|imagenet80|FILE",
            description = "Prompt templates with {} for the class name: 'a photo of a {}.', CLIP's 80 ImageNet"
                    + " templates (ensembled), or a file (default: ${DEFAULT-VALUE}).")
    String templates;

    @Option(names = "--top-k", defaultValue = "5", paramLabel = "K", description = "Predictions kept per image (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--note", paramLabel = "TEXT", description = "A note printed at the top of the report.")
    String note;

    @Override
    protected void validate() {
        job.validate(spec);
        if (topK < 1) {
            throw new ParameterException(spec.commandLine(), "--top-k must be at least 1, is " + topK);
        }
    }

    @Override
    protected int run(LakelensSession session) {
        EmbedJob.Options embed = new EmbedJob.Options(job.dataset, job.model, job.device, job.batchSize, job.chunkSize,
                job.retryQuarantined);
        new ZeroShotJob(session).run(
                new ZeroShotJob.Options(job.dataset, job.model, labels, templates, topK, embed, note), System.out);
        return 0;
    }
}
