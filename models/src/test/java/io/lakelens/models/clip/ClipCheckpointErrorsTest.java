package io.lakelens.models.clip;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.models.checkpoint.CheckpointException;
import io.lakelens.models.checkpoint.SafetensorsWriter;
import io.lakelens.models.runtime.ComputeDevice;
import io.lakelens.models.testing.Fixtures;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad model folders fail with one clear message naming the file and the problem. */
class ClipCheckpointErrorsTest {

    private static Path copyOfClipTiny(Path dir) throws Exception {
        Files.createDirectories(dir);
        for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"}) {
            Files.copy(Fixtures.clipTiny().resolve(f), dir.resolve(f));
        }
        return dir;
    }

    private static String loadError(Path folder) {
        return assertThrows(CheckpointException.class, () -> ClipModel.load(folder, ComputeDevice.cpu()))
                .getMessage();
    }

    @Test
    void missingWeights(@TempDir Path dir) throws Exception {
        Files.delete(copyOfClipTiny(dir).resolve("model.safetensors"));
        String message = loadError(dir);
        assertTrue(message.contains("no model.safetensors"), message);
    }

    @Test
    void truncatedWeights(@TempDir Path dir) throws Exception {
        Path weights = copyOfClipTiny(dir).resolve("model.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(weights.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        String message = loadError(dir);
        assertTrue(message.contains("model.safetensors") && message.contains("truncated"), message);
    }

    @Test
    void blipFolderGivenToClip() {
        String message = loadError(Fixtures.blipTiny());
        assertTrue(message.contains("config.json") && message.contains("model_type is 'blip'")
                && message.contains("expected 'clip'"), message);
    }

    @Test
    void missingExtraAndMisShapedTensorsAreListedTogether(@TempDir Path dir) throws Exception {
        String config = Files.readString(Fixtures.clipTiny().resolve("config.json"));
        Path folder = RandomClipFolder.write(dir.resolve("bad"), config, tensors -> {
            tensors.remove("vision_model.post_layernorm.bias");
            tensors.put("text_model.pooler.weight", new SafetensorsWriter.Tensor(new long[] {2}, new float[2]));
            tensors.put("text_projection.weight", new SafetensorsWriter.Tensor(new long[] {32, 16}, new float[512]));
        });
        String message = loadError(folder);
        assertTrue(message.contains("1 missing: vision_model.post_layernorm.bias"), message);
        assertTrue(message.contains("1 unexpected: text_model.pooler.weight"), message);
        assertTrue(message.contains("1 wrong shape: text_projection.weight: checkpoint [32, 16], model [16, 32]"),
                message);
    }

    @Test
    void theSameFolderLoadsWhenIntact(@TempDir Path dir) throws Exception {
        try (ClipEmbedder model = ClipEmbedder.load(copyOfClipTiny(dir), ComputeDevice.cpu())) {
            assertTrue(model.embedTexts(java.util.List.of("a cat")).length == 1);
        }
    }
}
