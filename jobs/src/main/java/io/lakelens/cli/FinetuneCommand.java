package io.lakelens.cli;

import io.lakelens.jobs.JobOptions;
import io.lakelens.jobs.finetune.FinetuneJob;
import io.lakelens.jobs.spark.LakelensSession;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Contrastive fine-tuning of CLIP on the (image, reference caption) pairs of a dataset."
                + " Writes a Hugging Face model folder to --out (usable as --model DIR by every command),"
                + " checkpoints under --out/checkpoints, and records training_runs, training_steps and"
                + " before/after eval_runs.")
public final class FinetuneCommand extends SparkCommand {

    @Option(names = "--dataset", required = true, paramLabel = "NAME", description = JobOptions.DATASET_HELP
            + " It needs images and reference captions.")
    String dataset;

    @Option(names = "--model", required = true, paramLabel = "DIR|hf://ORG/NAME[@REV]",
            description = "The CLIP to start from. " + JobOptions.MODEL_HELP)
    String model;

    @Option(names = "--out", required = true, description = "Output folder (must not exist unless --resume)")
    Path out;

    @Option(names = "--epochs", defaultValue = "1") int epochs;
    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N",
            description = "Pairs per contrastive batch, 2 to " + JobOptions.MAX_BATCH_SIZE + " (default: ${DEFAULT-VALUE}).") int batchSize;
    @Option(names = "--micro-batch-size", defaultValue = "0",
            description = "Pairs embedded with gradients at once (GradCache); 0: the whole batch") int microBatchSize;
    @Option(names = "--lr", defaultValue = "1e-5") double lr;
    @Option(names = "--warmup-steps", defaultValue = "0") long warmupSteps;
    @Option(names = "--weight-decay", defaultValue = "0.1") double weightDecay;
    @Option(names = "--lock-image", description = "Keep the image tower fixed (LiT)") boolean lockImage;
    @Option(names = "--lock-text", description = "Keep the text tower fixed") boolean lockText;
    @Option(names = "--unlock-last-layers", defaultValue = "0",
            description = "Train only the last K layers of the locked tower(s) (both towers without --lock-*)") int unlockLastLayers;
    @Option(names = "--val-fraction", defaultValue = "0.1") double valFraction;
    @Option(names = "--seed", defaultValue = "0") long seed;
    @Option(names = "--device", defaultValue = JobOptions.DEFAULT_DEVICE, paramLabel = "auto|cpu|cuda:N[,cuda:M...]",
            description = JobOptions.DEVICE_HELP + " A comma-separated list trains data parallel on one node"
                    + " (one model replica per device; negatives span the whole batch); validation runs on the first.")
    String device;
    @Option(names = "--resume", description = "Continue the run in --out from its newest checkpoint") boolean resume;
    @Option(names = "--wise-ft-alpha", description = "Also write --out/wise-ft: (1-A)*start + A*fine-tuned") Double wiseFtAlpha;
    @Option(names = "--zeroshot-labels", paramLabel = "FILE", description = "Labels file, as `lakelens zeroshot --labels`"
            + " takes it ('label' or 'label: prompt name' per line), for before/after zero-shot accuracy") Path zeroshotLabels;
    @Option(names = "--zeroshot-templates", defaultValue = "single", paramLabel = "single|imagenet80|FILE",
            description = "Prompt templates of that accuracy, as `lakelens zeroshot --templates` (default: ${DEFAULT-VALUE}).")
    String zeroshotTemplates;
    @Option(names = "--checkpoint-every", defaultValue = "100", description = "Steps between checkpoints") long checkpointEvery;

    private FinetuneJob.Options options;

    @Override
    protected void validate() {
        try {
            options = FinetuneJob.Options.builder(dataset, model, out).epochs(epochs).batchSize(batchSize)
                    .microBatchSize(microBatchSize).lr(lr).warmupSteps(warmupSteps).weightDecay(weightDecay)
                    .locking(lockImage, lockText, unlockLastLayers).validation(valFraction, seed).device(device)
                    .resume(resume).wiseFtAlpha(wiseFtAlpha).zeroshot(zeroshotLabels, zeroshotTemplates)
                    .checkpointEvery(checkpointEvery).build();
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The validated options (after {@link #validate()}). */
    FinetuneJob.Options options() {
        return options;
    }

    @Override
    protected int run(LakelensSession session) throws Exception {
        FinetuneJob.Result r = new FinetuneJob(session).run(options, System.out);
        System.out.printf("finetune %s: %d steps on %d pairs, loss %.4f -> %.4f; model in %s%n", r.runId(), r.steps(),
                r.trainPairs(), r.firstLoss(), r.lastLoss(), r.model());
        System.out.printf("finetune %s: %d images skipped (could not be decoded; see quarantine, job 'finetune'),"
                + " %d images without a reference caption not used%n", r.runId(), r.skippedImages(),
                r.imagesWithoutCaption());
        System.out.println("validation before " + r.before() + " after " + r.after()
                + (r.wiseFt().isEmpty() ? "" : " wise-ft " + r.wiseFt()));
        return 0;
    }
}
