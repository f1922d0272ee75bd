package io.lakelens.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lakelens.jobs.zeroshot.ClassList;
import io.lakelens.jobs.zeroshot.PromptTemplates;
import io.lakelens.models.clip.ClipModel;
import io.lakelens.models.clip.ZeroShotClassifier;
import io.lakelens.models.hub.ModelLocator;
import io.lakelens.models.hub.ResolvedModel;
import io.lakelens.models.image.ImagePreprocessor;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "zeroshot", mixinStandardHelpOptions = true,
        description = "Classify images against class names with CLIP: {\"file\", \"top\": [{\"label\", \"probability\"}]} per line.")
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
        ClassList classes = ClassList.parse(labels);
        List<String> prompts = template != null && !template.isEmpty() ? template : PromptTemplates.parse(templates);
        ResolvedModel resolved = ModelLocator.resolve(options.model);
        JsonLines out = new JsonLines(spec.commandLine().getOut());
        try (ClipModel clip = ClipModel.load(resolved.folder(), options.device())) {
            ZeroShotClassifier classifier = ZeroShotClassifier.create(clip, classes.promptNames(), prompts);
            ImageFiles images = new ImageFiles(
                    ImagePreprocessor.fromConfig(resolved.folder().resolve("preprocessor_config.json")),
                    clip.config().vision().pixelsPerImage(), spec.commandLine().getErr());
            for (List<Path> chunk : ImageFiles.batches(options.files, options.batchSize)) {
                ImageFiles.Batch batch = images.load(chunk);
                if (batch.files().isEmpty()) {
                    continue;
                }
                List<List<ZeroShotClassifier.Prediction>> predictions =
                        classifier.classify(clip.embedImages(batch.pixels(), batch.files().size()), topK);
                for (int i = 0; i < predictions.size(); i++) {
                    ObjectNode line = out.object().put("file", batch.files().get(i).toString());
                    ArrayNode top = line.putArray("top");
                    for (ZeroShotClassifier.Prediction p : predictions.get(i)) {
                        // Report the label as given, not the prompt name it was turned into.
                        String label = classes.labels().get(classes.promptNames().indexOf(p.label()));
                        top.addObject().put("label", label).put("probability", p.probability());
                    }
                    out.print(line);
                }
            }
            return images.exitCode();
        }
    }
}
