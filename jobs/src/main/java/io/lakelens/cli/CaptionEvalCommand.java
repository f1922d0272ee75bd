package io.lakelens.cli;

import io.lakelens.jobs.captioneval.CaptionEvalJob;
import io.lakelens.jobs.spark.LakelensSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "caption-eval", mixinStandardHelpOptions = true,
        description = "COCO caption metrics (BLEU-1..4, ROUGE-L, CIDEr-D, as pycocoevalcap) and caption text statistics"
                + " (Spark NLP) of a captioning model's lakelens.generated_captions against a dataset's"
                + " lakelens.reference_captions, computed distributed; stored in lakelens.caption_scores (per image) and"
                + " lakelens.eval_runs (kind captions).")
public final class CaptionEvalCommand extends SparkCommand {

    @Option(names = "--dataset", required = true, paramLabel = "NAME", description = "Dataset with reference captions.")
    String dataset;

    @Option(names = "--captions-model", required = true, paramLabel = "MODEL_ID|DIR|hf://ORG/NAME[@REV]",
            description = "The captioning model, as its stored model_id or as given to `lakelens caption`.")
    String captionsModel;

    @Option(names = "--decoding", paramLabel = "DECODING",
            description = "Decoding string of the captions (generated_captions.decoding); needed when the model has"
                    + " captions of several decodings.")
    String decoding;

    @Override
    protected int run(LakelensSession session) {
        new CaptionEvalJob(session).run(new CaptionEvalJob.Options(dataset, captionsModel, decoding), System.out);
        return 0;
    }
}
