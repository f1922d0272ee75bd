package io.lakelens.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lakelens.jobs.JobOptions;
import io.lakelens.jobs.inference.ImageBatches;
import io.lakelens.jobs.zeroshot.ClassList;
import io.lakelens.jobs.zeroshot.PromptTemplates;
import io.lakelens.models.clip.ClipEmbedder;
import io.lakelens.models.clip.ZeroShotClassifier;
import io.lakelens.models.hub.ModelLocator;
import io.lakelens.models.hub.ResolvedModel;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "zeroshot", mixinStandardHelpOptions = true,
        description = "Classify images against class names with CLIP: {\"file\", \"top\": [{\"label\", \"probability\"}]} per"
                + " line, scored exactly as `lakelens zeroshot` scores a dataset.")
public final class ModelZeroShotCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelFileOptions options;

    @Option(names = "--labels", required = true, paramLabel = "a,b,c|FILE", description = "Class names.")
    String labels;

    @Option(names = "--template", paramLabel = "TEXT", description = "Prompt template(s) with {} for the class name; repeatable"
            + " (default: 'a photo of a {}.'). Several are ensembled.")
    List<String> template;

    @Option(names = "--templates", paramLabel = "single|imagenet80|FILE", description = "A template set instead of --template.")
    String templates;

    @Option(names = "--top-k", defaultValue = "5", paramLabel = "K", description = "Labels printed per image (default: ${DEFAULT-VALUE}).")
    int topK;

    @Override
    public Integer call() {
        options.check(spec);
        try {
            JobOptions.atLeastOne("--top-k", topK);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        ClassList classes = ClassList.parse(labels);
        List<String> prompts = template != null && !template.isEmpty() ? template : PromptTemplates.parse(templates);
        ResolvedModel resolved = ModelLocator.resolve(options.model);
        JsonLines out = new JsonLines(spec.commandLine().getOut());
        try (ClipEmbedder clip = ClipEmbedder.load(resolved.folder(), options.device())) {
            ZeroShotClassifier classifier =
                    ZeroShotClassifier.create(clip, classes.labels(), classes.promptNames(), prompts);
            ImageFiles images = new ImageFiles(spec.commandLine().getErr());
            images.run(options.files, options.batchSize, ImageBatches.clipEmbeddings(clip), (file, embedding) -> {
                ObjectNode line = out.object().put("file", file.toString());
                ArrayNode top = line.putArray("top");
                for (ZeroShotClassifier.Prediction p : classifier.classify(embedding, topK)) {
                    top.addObject().put("label", p.label()).put("probability", p.probability());
                }
                out.print(line);
            });
            return images.exitCode();
        }
    }
}
