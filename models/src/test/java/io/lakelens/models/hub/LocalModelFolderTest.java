package io.lakelens.models.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalModelFolderTest {
    @TempDir
    Path folder;

    @Test
    void aFolderWithoutConfigListsWhatItHas() throws IOException {
        Files.writeString(folder.resolve("model.safetensors"), "x");
        Files.writeString(folder.resolve("notes.txt"), "x");
        Files.createDirectory(folder.resolve("images"));

        ModelResolveException e = assertThrows(ModelResolveException.class,
                () -> ModelLocator.resolve(folder.toString(), HubOptions.defaults()));

        assertEquals(folder.toRealPath() + " has no config.json, so it is not a Hugging Face model folder; "
                + "found: images/, model.safetensors, notes.txt", e.getMessage());
    }

    @Test
    void aMissingFolderThatLooksLikeARepoSuggestsHf() {
        ModelResolveException e = assertThrows(ModelResolveException.class,
                () -> ModelLocator.resolve("openai/clip-vit-base-patch32-not-here", HubOptions.defaults()));

        assertTrue(e.getMessage().endsWith("did you mean hf://openai/clip-vit-base-patch32-not-here ?"), e.getMessage());
    }

    @Test
    void pytorchOnlyFoldersAreRefused() throws IOException {
        Files.writeString(folder.resolve("config.json"), "{}");
        Files.writeString(folder.resolve("pytorch_model.bin"), "x");

        ModelResolveException e = assertThrows(ModelResolveException.class,
                () -> ModelLocator.resolve(folder.toString(), HubOptions.defaults()));

        assertTrue(e.getMessage().contains("has only pytorch_model.bin weights and lakelens reads safetensors only"),
                e.getMessage());
    }

    @Test
    void theIdIsStableAndFollowsTheWeights() throws IOException {
        Files.writeString(folder.resolve("config.json"), "{\"model_type\":\"clip\"}");
        Files.writeString(folder.resolve("model.safetensors"), "weights v1");

        ResolvedModel first = ModelLocator.resolve(folder.toString(), HubOptions.defaults());
        ResolvedModel again = ModelLocator.resolve(folder.toString(), HubOptions.defaults());
        Files.writeString(folder.resolve("model.safetensors"), "weights v2"); // same size, new fine-tune
        ResolvedModel changed = ModelLocator.resolve(folder.toString(), HubOptions.defaults());

        assertEquals(folder.toRealPath(), first.folder());
        assertTrue(first.modelId().matches("local:" + folder.toRealPath() + "#[0-9a-f]{12}"), first.modelId());
        assertEquals(first, again);
        assertNotEquals(first.modelId(), changed.modelId());
    }

    @Test
    void shardedFoldersNeedEveryShard() throws IOException {
        Files.writeString(folder.resolve("config.json"), "{}");
        Files.writeString(folder.resolve("model.safetensors.index.json"),
                "{\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\",\"b\":\"model-00002-of-00002.safetensors\"}}");
        Files.writeString(folder.resolve("model-00001-of-00002.safetensors"), "x");

        ModelResolveException e = assertThrows(ModelResolveException.class,
                () -> ModelLocator.resolve(folder.toString(), HubOptions.defaults()));

        assertTrue(e.getMessage().contains("names shard 'model-00002-of-00002.safetensors'"), e.getMessage());
        Files.writeString(folder.resolve("model-00002-of-00002.safetensors"), "y");
        assertTrue(ModelLocator.resolve(folder.toString(), HubOptions.defaults()).modelId().startsWith("local:"));
    }
}
