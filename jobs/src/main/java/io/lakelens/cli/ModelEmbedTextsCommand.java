package io.lakelens.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lakelens.jobs.JobOptions;
import io.lakelens.models.clip.ClipEmbedder;
import io.lakelens.models.hub.ModelLocator;
import io.lakelens.models.hub.ResolvedModel;
import io.lakelens.models.runtime.ComputeDevice;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "embed-texts", mixinStandardHelpOptions = true,
        description = "Print the L2-normalised CLIP embedding of each text: {\"text\", \"input_ids\", \"embedding\"} per line.")
public final class ModelEmbedTextsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR|hf://ORG/NAME[@REV]", description = JobOptions.MODEL_HELP)
    String model;

    @Option(names = "--device", defaultValue = JobOptions.DEFAULT_DEVICE, paramLabel = "auto|cpu|cuda:N",
            description = JobOptions.DEVICE_HELP)
    String device;

    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "Texts to embed.")
    List<String> texts;

    @Override
    public Integer call() {
        try {
            JobOptions.model(model);
            JobOptions.device(device);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        ResolvedModel resolved = ModelLocator.resolve(model);
        JsonLines out = new JsonLines(spec.commandLine().getOut());
        try (ClipEmbedder clip = ClipEmbedder.load(resolved.folder(), ComputeDevice.parse(device, "auto"))) {
            float[][] embeddings = clip.embedTexts(texts);
            for (int i = 0; i < texts.size(); i++) {
                ObjectNode line = out.object().put("text", texts.get(i));
                JsonLines.longs(line, "input_ids", clip.tokenizer().encode(texts.get(i)));
                JsonLines.floats(line, "embedding", embeddings[i]);
                out.print(line);
            }
        }
        return 0;
    }
}
