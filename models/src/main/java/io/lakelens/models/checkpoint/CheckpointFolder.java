package io.lakelens.models.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A model folder in Hugging Face layout: {@code config.json}, weights as {@code model.safetensors}
 * or sharded with {@code model.safetensors.index.json}, and the processor/tokenizer files.
 * Opening it checks what every model needs, so problems surface before any weight is read.
 */
public final class CheckpointFolder {

    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String WEIGHTS_INDEX = "model.safetensors.index.json";
    /** The image processor's settings ({@code CLIPImageProcessor}, {@code BlipImageProcessor}). */
    public static final String PREPROCESSOR_CONFIG = "preprocessor_config.json";
    /** The fast tokenizer. */
    public static final String TOKENIZER = "tokenizer.json";
    /** Decoding defaults of a generative model. */
    public static final String GENERATION_CONFIG = "generation_config.json";

    /**
     * Every file of a folder besides the config and the weights that lakelens reads or keeps: the
     * processor's (image processor and tokenizer, with the slow tokenizers' vocabularies) and the
     * decoding defaults. A model written from another one carries these over unchanged.
     */
    public static final List<String> PROCESSOR_FILES = List.of(PREPROCESSOR_CONFIG, TOKENIZER,
            "tokenizer_config.json", "special_tokens_map.json", GENERATION_CONFIG, "vocab.json", "merges.txt",
            "vocab.txt");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final ConfigNode config;
    private StateDict weights;

    private CheckpointFolder(Path dir, ConfigNode config) {
        this.dir = dir;
        this.config = config;
    }

    /**
     * Opens a folder and reads its {@code config.json}.
     *
     * @throws CheckpointException if the folder, its config or its weights are missing or unreadable
     */
    public static CheckpointFolder open(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
            throw new CheckpointException(abs + ": model folder not found");
        }
        Path configFile = abs.resolve(CONFIG);
        if (!Files.isRegularFile(configFile)) {
            throw new CheckpointException(abs + ": no config.json (found: " + listing(abs) + ")");
        }
        JsonNode json;
        try {
            json = JSON.readTree(configFile.toFile());
        } catch (IOException e) {
            throw new CheckpointException(configFile + ": not valid JSON (" + firstLine(e.getMessage()) + ")", e);
        }
        if (json == null || !json.isObject()) {
            throw new CheckpointException(configFile + ": not a JSON object");
        }
        if (!Files.isRegularFile(abs.resolve(WEIGHTS)) && !Files.isRegularFile(abs.resolve(WEIGHTS_INDEX))) {
            boolean pickled = Files.exists(abs.resolve("pytorch_model.bin"))
                    || Files.exists(abs.resolve("pytorch_model.bin.index.json"));
            throw new CheckpointException(abs + ": no model.safetensors"
                    + (pickled ? " (only pytorch_model.bin, a Python pickle; lakelens reads safetensors"
                            + " weights only: use a revision of the model that has model.safetensors)"
                            : " (found: " + listing(abs) + ")"));
        }
        return new CheckpointFolder(abs, new ConfigNode(json, configFile.toString()));
    }

    public Path dir() {
        return dir;
    }

    public ConfigNode config() {
        return config;
    }

    /** {@code model_type} from the config, or "" when absent. */
    public String modelType() {
        return config.stringOr("model_type", "");
    }

    /**
     * Fails unless the config declares one of the expected architectures.
     *
     * @param expectedModelType e.g. {@code clip}
     * @param whatFor the class reading it, for the message, e.g. {@code CLIP}
     */
    public void requireModelType(String expectedModelType, String whatFor) {
        String type = modelType();
        if (!type.equals(expectedModelType)) {
            List<String> archs = config.strings("architectures");
            throw new CheckpointException(dir.resolve(CONFIG) + ": model_type is '" + type + "'"
                    + (archs.isEmpty() ? "" : " (" + String.join(", ", archs) + ")")
                    + ", expected '" + expectedModelType + "' for " + whatFor);
        }
    }

    /** The weights, opened (headers validated) on first use. */
    public synchronized StateDict weights() {
        if (weights == null) {
            weights = Files.isRegularFile(dir.resolve(WEIGHTS))
                    ? StateDict.ofFile(dir.resolve(WEIGHTS))
                    : StateDict.ofIndex(dir.resolve(WEIGHTS_INDEX));
        }
        return weights;
    }

    /** A file of the folder if it exists. */
    public Optional<Path> file(String name) {
        Path p = dir.resolve(name);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    /** A file the model cannot work without. */
    public Path requireFile(String name, String purpose) {
        return file(name).orElseThrow(() -> new CheckpointException(
                dir + ": no " + name + " (needed for " + purpose + ")"));
    }

    /**
     * Copies the config and the {@linkplain #PROCESSOR_FILES processor files} that exist in {@code
     * from} into {@code to} (Hugging Face's {@code save_pretrained} of the processor), so that the
     * weights written beside them make a complete model folder.
     */
    public static void copyConfigAndProcessorFiles(Path from, Path to) throws IOException {
        List<String> names = new java.util.ArrayList<>(List.of(CONFIG));
        names.addAll(PROCESSOR_FILES);
        for (String name : names) {
            Path file = from.resolve(name);
            if (Files.isRegularFile(file)) {
                Files.copy(file, to.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** A JSON file of the folder, parsed, or empty if absent. */
    public Optional<ConfigNode> json(String name) {
        Optional<Path> p = file(name);
        if (p.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ConfigNode(JSON.readTree(p.get().toFile()), p.get().toString()));
        } catch (IOException e) {
            throw new CheckpointException(p.get() + ": not valid JSON (" + firstLine(e.getMessage()) + ")", e);
        }
    }

    private static String listing(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            String names = s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.joining(", "));
            return names.isEmpty() ? "nothing" : names;
        } catch (IOException e) {
            return "unreadable";
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : Arrays.stream(s.split("\n")).findFirst().orElse("");
    }
}
