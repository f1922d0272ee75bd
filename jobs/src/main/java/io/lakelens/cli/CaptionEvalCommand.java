package io.lakelens.cli;

import io.lakelens.jobs.JobOptions;
import io.lakelens.jobs.captioneval.CaptionEvalJob;
import io.lakelens.jobs.spark.LakelensSession;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "caption-eval", mixinStandardHelpOptions = true,
        description = "COCO caption metrics (BLEU-1..4, ROUGE-L, CIDEr-D, as pycocoevalcap), optionally CLIPScore and"
                + " RefCLIPScore (--clip-model), and caption text statistics (Spark NLP) of a captioning model's"
                + " lakelens.generated_captions against a dataset's lakelens.reference_captions, computed distributed;"
                + " stored in lakelens.caption_scores (per image) and lakelens.eval_runs (kind captions).")
public final class CaptionEvalCommand extends SparkCommand {

    @Option(names = "--dataset", required = true, paramLabel = "NAME", description = JobOptions.DATASET_HELP
            + " It needs reference captions.")
    String dataset;

    @Option(names = "--captions-model", required = true, paramLabel = "MODEL_ID|DIR|hf://ORG/NAME[@REV]",
            description = "The captioning model, as its stored model_id or as given to `lakelens caption`.")
    String captionsModel;

    @Option(names = "--decoding", paramLabel = "DECODING",
            description = "Decoding string of the captions (generated_captions.decoding); needed when the model has"
                    + " captions of several decodings.")
    String decoding;

    @Option(names = "--clip-model", paramLabel = "DIR|hf://ORG/NAME[@REV]",
            description = "Also compute CLIPScore and RefCLIPScore with this CLIP model, as given to `lakelens embed`:"
                    + " image embeddings come from lakelens.image_embeddings (images without one are counted, not"
                    + " scored), caption embeddings are computed.")
    String clipModel;

    @Option(names = "--device", defaultValue = JobOptions.DEFAULT_DEVICE, paramLabel = "auto|cpu|cuda:N",
            description = "Where executors embed the captions for --clip-model. " + JobOptions.DEVICE_HELP)
    String device;

    private CaptionEvalJob.Options options;

    @Override
    protected void validate() {
        options = new CaptionEvalJob.Options(dataset, captionsModel, decoding, clipModel, device);
    }

    @Override
    protected int run(LakelensSession session) {
        CaptionEvalJob.Result result = new CaptionEvalJob(session).run(options,
                new PrintStream(OutputStream.nullOutputStream()));
        PrintWriter out = spec.commandLine().getOut();
        out.print(result.report());
        out.flush();
        return 0;
    }
}
