package io.lakelens.cli;

import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.zeroshot.ZeroShotJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    private ZeroShotJob.Options options;

    @Override
    protected void validate() {
        options = new ZeroShotJob.Options(job.dataset, job.model, labels, templates, topK, job.embed(), note);
    }

    @Override
    protected int run(LakelensSession session) {
        new ZeroShotJob(session).run(options, System.out);
        return 0;
    }
}
