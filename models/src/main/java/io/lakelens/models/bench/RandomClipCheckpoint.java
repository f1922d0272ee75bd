package io.lakelens.models.bench;

import io.lakelens.models.checkpoint.CheckpointFolder;
import io.lakelens.models.checkpoint.ParameterBinder;
import io.lakelens.models.checkpoint.SafetensorsWriter;
import io.lakelens.models.clip.ClipConfig;
import io.lakelens.models.clip.ClipModel;
import io.lakelens.models.runtime.ComputeDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a CLIP ViT-B/32 checkpoint folder with random weights in Hugging Face layout, so that the
 * jobs can be benchmarked at the real size where the published weights cannot be downloaded. The
 * preprocessor is {@code openai/clip-vit-base-patch32}'s; there is no tokenizer (image jobs only).
 */
public final class RandomClipCheckpoint {

    /** {@code openai/clip-vit-base-patch32}'s preprocessor_config.json. */
    private static final String PREPROCESSOR = """
            {"crop_size": {"height": 224, "width": 224}, "do_center_crop": true, "do_convert_rgb": true,
             "do_normalize": true, "do_rescale": true, "do_resize": true,
             "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_processor_type": "CLIPImageProcessor",
             "image_std": [0.26862954, 0.26130258, 0.27577711], "resample": 3,
             "rescale_factor": 0.00392156862745098, "size": {"shortest_edge": 224}}
            """;

    private RandomClipCheckpoint() {}

    /** Writes the folder (created if needed) and returns it. */
    public static Path writeVitB32(Path folder) throws IOException {
        Files.createDirectories(folder);
        ClipConfig config = ClipBenchmark.vitB32Config();
        SafetensorsWriter writer = new SafetensorsWriter();
        try (ClipModel model = ClipModel.withRandomWeights(config, ComputeDevice.cpu(), 0.02f)) {
            for (ParameterBinder.NamedParameter p : ParameterBinder.parameters(model)) {
                writer.put(p.name(), p.shape().getShape(), p.parameter().getArray().toFloatArray());
            }
        }
        writer.write(folder.resolve(CheckpointFolder.WEIGHTS));
        Files.writeString(folder.resolve(CheckpointFolder.CONFIG), ClipBenchmark.VIT_B_32);
        Files.writeString(folder.resolve(CheckpointFolder.PREPROCESSOR_CONFIG), PREPROCESSOR);
        return folder;
    }
}
