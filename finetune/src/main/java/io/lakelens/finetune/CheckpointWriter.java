package io.lakelens.finetune;

import io.lakelens.models.checkpoint.CheckpointFolder;
import io.lakelens.models.checkpoint.SafetensorsWriter;
import io.lakelens.models.clip.ClipModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a fine-tuned model as a Hugging Face folder that every lakelens command (and
 * transformers' {@code CLIPModel.from_pretrained}) loads: the starting model's {@code config.json},
 * preprocessor and tokenizer files, and {@code model.safetensors} with the original parameter
 * names. Training checkpoints add {@code optimizer.safetensors} (AdamW moments) and {@link
 * TrainerState}. A folder is written under a temporary name and renamed when complete, so a crash
 * never leaves a half checkpoint that {@code --resume} would pick.
 */
public final class CheckpointWriter {

    public static final String OPTIMIZER = "optimizer.safetensors";

    private CheckpointWriter() {}

    /**
     * Writes {@code model} to {@code target} (replacing it), copying the model files of {@code source}.
     *
     * @param optimizer AdamW state to save beside the weights, or null
     * @param state the run's position, or null
     */
    public static void write(ClipModel model, Path source, Path target, AdamW optimizer, TrainerState state)
            throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, target.getFileName() + ".partial-");
        try {
            CheckpointFolder.copyConfigAndProcessorFiles(source, tmp);
            ModelWeights.write(model, tmp.resolve(CheckpointFolder.WEIGHTS));
            if (optimizer != null) {
                SafetensorsWriter writer = new SafetensorsWriter();
                for (Map.Entry<String, float[]> e : optimizer.state().entrySet()) {
                    writer.put(e.getKey(), optimizer.stateShape(e.getKey()), e.getValue());
                }
                writer.write(tmp.resolve(OPTIMIZER));
            }
            if (state != null) {
                state.write(tmp);
            }
            if (Files.exists(target)) {
                deleteTree(target);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    /** Deletes a folder and everything in it. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
