package io.lakelens.cli;

import io.lakelens.jobs.JobOptions;
import io.lakelens.jobs.retrieval.RetrievalEvalJob;
import io.lakelens.jobs.spark.LakelensSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "retrieval-eval", mixinStandardHelpOptions = true,
        description = "Image→text and text→image recall@1/5/10 of a CLIP model on a dataset's images and reference"
                + " captions (several per image, as LAION's CLIP_benchmark), with a distributed blockwise top-k over"
                + " lakelens.image_embeddings and lakelens.text_embeddings (missing caption embeddings are computed);"
                + " stored in lakelens.eval_runs (kind retrieval).")
public final class RetrievalEvalCommand extends SparkCommand {

    @Option(names = "--dataset", required = true, paramLabel = "NAME", description = JobOptions.DATASET_HELP
            + " It needs reference captions.")
    String dataset;

    @Option(names = "--model", required = true, paramLabel = "DIR|hf://ORG/NAME[@REV]",
            description = "CLIP model, as given to `lakelens embed`. " + JobOptions.MODEL_HELP)
    String model;

    @Option(names = "--device", defaultValue = JobOptions.DEFAULT_DEVICE, paramLabel = "auto|cpu|cuda:N",
            description = "Where executors embed captions that have no stored embedding. " + JobOptions.DEVICE_HELP)
    String device;

    @Option(names = "--block-size", defaultValue = "1024", paramLabel = "N",
            description = "Queries per top-k block (default: ${DEFAULT-VALUE}).")
    int blockSize;

    private RetrievalEvalJob.Options options;

    @Override
    protected void validate() {
        options = new RetrievalEvalJob.Options(dataset, model, device, blockSize);
    }

    @Override
    protected int run(LakelensSession session) {
        new RetrievalEvalJob(session).run(options, System.out);
        return 0;
    }
}
