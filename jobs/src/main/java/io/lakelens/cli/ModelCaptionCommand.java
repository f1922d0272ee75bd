package io.lakelens.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lakelens.jobs.inference.ImageBatches;
import io.lakelens.models.blip.BlipCaptioner;
import io.lakelens.models.blip.Caption;
import io.lakelens.models.generation.GenerationConfig;
import io.lakelens.models.hub.ModelLocator;
import io.lakelens.models.hub.ResolvedModel;
import java.nio.file.Path;
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
        options.check(spec);
        GenerationConfig config = decoding.toConfig(spec);
        ResolvedModel resolved = ModelLocator.resolve(options.model);
        JsonLines out = new JsonLines(spec.commandLine().getOut());
        try (BlipCaptioner blip = BlipCaptioner.load(resolved.folder(), options.device())) {
            ImageFiles images = new ImageFiles(spec.commandLine().getErr());
            ImageBatches.Model<Path, Caption> captions = new ImageBatches.Model<>(blip.processor().pixelsPerImage(),
                    blip.processor()::preprocessInto, (pixels, files) -> blip.generate(pixels, files.size(), config));
            images.run(options.files, options.batchSize, captions, (file, caption) -> {
                ObjectNode line = out.object().put("file", file.toString()).put("caption", caption.text());
                ArrayNode ids = line.putArray("token_ids");
                for (int id : caption.tokenIds()) {
                    ids.add(id);
                }
                out.print(line);
            });
            return images.exitCode();
        }
    }
}
