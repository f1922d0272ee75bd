package io.lakelens.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lakelens.models.clip.ClipModel;
import io.lakelens.models.hub.ModelLocator;
import io.lakelens.models.hub.ResolvedModel;
import io.lakelens.models.image.ImagePreprocessor;
import java.nio.file.Path;
import java.util.List;
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
        ResolvedModel resolved = ModelLocator.resolve(options.model);
        JsonLines out = new JsonLines(spec.commandLine().getOut());
        try (ClipModel clip = ClipModel.load(resolved.folder(), options.device())) {
            ImageFiles images = new ImageFiles(
                    ImagePreprocessor.fromConfig(resolved.folder().resolve("preprocessor_config.json")),
                    clip.config().vision().pixelsPerImage(), spec.commandLine().getErr());
            for (List<Path> chunk : ImageFiles.batches(options.files, options.batchSize)) {
                ImageFiles.Batch batch = images.load(chunk);
                if (batch.files().isEmpty()) {
                    continue;
                }
                float[][] embeddings = clip.embedImages(batch.pixels(), batch.files().size());
                for (int i = 0; i < embeddings.length; i++) {
                    ObjectNode line = out.object().put("file", batch.files().get(i).toString());
                    JsonLines.floats(line, "embedding", embeddings[i]);
                    out.print(line);
                }
            }
            return images.exitCode();
        }
    }
}
