package io.lakelens.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lakelens.jobs.inference.ImageBatches;
import io.lakelens.models.clip.ClipEmbedder;
import io.lakelens.models.hub.ModelLocator;
import io.lakelens.models.hub.ResolvedModel;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "embed-images", mixinStandardHelpOptions = true,
        description = "Print the L2-normalised CLIP embedding of each image: {\"file\", \"embedding\"} per line.")
public final class ModelEmbedImagesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelFileOptions options;

    @Override
    public Integer call() {
        options.check(spec);
        ResolvedModel resolved = ModelLocator.resolve(options.model);
        JsonLines out = new JsonLines(spec.commandLine().getOut());
        try (ClipEmbedder clip = ClipEmbedder.load(resolved.folder(), options.device())) {
            ImageFiles images = new ImageFiles(spec.commandLine().getErr());
            images.run(options.files, options.batchSize, ImageBatches.clipEmbeddings(clip), (file, embedding) -> {
                ObjectNode line = out.object().put("file", file.toString());
                JsonLines.floats(line, "embedding", embedding);
                out.print(line);
            });
            return images.exitCode();
        }
    }
}
