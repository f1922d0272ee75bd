package io.lakelens.cli;

import io.lakelens.eval.captions.CaptionEvaluation;
import io.lakelens.eval.captions.CaptionEvaluator;
import io.lakelens.eval.captions.CaptionInputs;
import io.lakelens.eval.captions.CocoCaptionFiles;
import io.lakelens.eval.captions.ImageId;
import io.lakelens.eval.captions.PtbTokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lakelens eval captions}: the COCO caption metrics of a results file against an annotations
 * file, as pycocoevalcap computes them (BLEU-1..4, ROUGE-L, CIDEr-D; METEOR and SPICE are not
 * implemented, see the README). Prints one {@code name value} line per corpus score, with every
 * digit of the double, and writes per-image scores as JSON lines with {@code --out}. The output
 * file appears only once everything was computed (written to a temporary file, then moved).
 */
@Command(name = "captions", mixinStandardHelpOptions = true,
        description = "COCO caption metrics (BLEU-1..4, ROUGE-L, CIDEr-D) of a COCO results file against a COCO"
                + " annotations file; prints corpus scores, writes per-image scores with --out.")
public final class EvalCaptionsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--candidates", required = true, paramLabel = "FILE",
            description = "COCO results JSON: [{\"image_id\": 1, \"caption\": \"...\"}, ...], one caption per image.")
    Path candidates;

    @Option(names = "--references", required = true, paramLabel = "FILE",
            description = "COCO annotations JSON: {\"annotations\": [{\"image_id\": 1, \"caption\": \"...\"}, ...]};"
                    + " only the candidates' images are evaluated.")
    Path references;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Write per-image scores here, one JSON object per line: {\"image_id\", \"Bleu_1\", ...}.")
    Path out;

    @Option(names = "--line-breaks", defaultValue = "REFERENCE", paramLabel = "REFERENCE|AS_SPACE",
            description = "REFERENCE reproduces the toolkit's tokenizer, which shifts later captions after a \\r or"
                    + " U+2028 inside a caption; AS_SPACE turns those into spaces (default: ${DEFAULT-VALUE}).")
    PtbTokenizer.LineBreaks lineBreaks;

    @Override
    public Integer call() throws IOException {
        CaptionInputs inputs = CocoCaptionFiles.read(candidates, references);
        CaptionEvaluator evaluator = new CaptionEvaluator(new PtbTokenizer(lineBreaks), CaptionEvaluator.cocoMetrics());
        CaptionEvaluation<ImageId> evaluation;
        try {
            evaluation = evaluator.evaluate(inputs.imageOrder(), inputs.references(), inputs.candidates());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(candidates + ": " + e.getMessage(), e);
        }
        if (out != null) {
            writeAtomically(evaluation, out);
        }
        PrintWriter w = spec.commandLine().getOut();
        for (Map.Entry<String, Double> e : evaluation.corpus().entrySet()) {
            w.println(e.getKey() + " " + e.getValue());
        }
        w.println("images " + evaluation.imageOrder().size());
        w.flush();
        return 0;
    }

    /** A half-written file would look like a result: write beside the target, then move it over. */
    private static void writeAtomically(CaptionEvaluation<ImageId> evaluation, Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        Files.createDirectories(folder);
        Path tmp = Files.createTempFile(folder, "." + absolute.getFileName(), ".tmp");
        try {
            CocoCaptionFiles.writePerImageScores(evaluation, tmp);
            Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
