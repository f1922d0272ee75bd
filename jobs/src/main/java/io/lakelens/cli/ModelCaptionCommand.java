package io.lakelens.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lakelens.models.blip.BlipCaptioner;
import io.lakelens.models.blip.Caption;
import io.lakelens.models.generation.GenerationConfig;
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

@Command(name = "caption", mixinStandardHelpOptions = true,
        description = "Caption images with BLIP: {\"file\", \"caption\", \"token_ids\"} per line.")
public final class ModelCaptionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelFileOptions options;

    @Mixin
    DecodingOptions decoding;

    @Override
    public Integer call() {
        GenerationConfig config = decoding.toConfig(spec);
        ResolvedModel resolved = ModelLocator.resolve(options.model);
        JsonLines out = new JsonLines(spec.commandLine().getOut());
        try (BlipCaptioner blip = BlipCaptioner.load(resolved.folder(), options.device())) {
            int size = blip.config().vision().imageSize();
            ImageFiles images = new ImageFiles(
                    ImagePreprocessor.fromConfig(resolved.folder().resolve("preprocessor_config.json")),
                    3 * size * size, spec.commandLine().getErr());
            for (List<Path> chunk : ImageFiles.batches(options.files, options.batchSize)) {
                ImageFiles.Batch batch = images.load(chunk);
                if (batch.files().isEmpty()) {
                    continue;
                }
                List<Caption> captions = blip.generate(batch.pixels(), batch.files().size(), config);
                for (int i = 0; i < captions.size(); i++) {
                    ObjectNode line = out.object().put("file", batch.files().get(i).toString())
                            .put("caption", captions.get(i).text());
                    ArrayNode ids = line.putArray("token_ids");
                    for (int id : captions.get(i).tokenIds()) {
                        ids.add(id);
                    }
                    out.print(line);
                }
            }
            return images.exitCode();
        }
    }
}
