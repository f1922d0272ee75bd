package io.lakelens.models.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelSpecTest {
    @Test
    void hubSpecsDefaultToMain() {
        assertEquals(new ModelSpec.Hub("openai/clip-vit-base-patch32", "main"), ModelSpec.parse("hf://openai/clip-vit-base-patch32"));
        assertEquals(new ModelSpec.Hub("gpt2", "main"), ModelSpec.parse("hf://gpt2"));
    }

    @Test
    void hubSpecsTakeBranchesTagsPullRequestsAndCommits() {
        assertEquals(new ModelSpec.Hub("Salesforce/blip-image-captioning-base", "refs/pr/3"),
                ModelSpec.parse("hf://Salesforce/blip-image-captioning-base@refs/pr/3"));
        assertEquals(new ModelSpec.Hub("a/b", "v1.0"), ModelSpec.parse("hf://a/b@v1.0"));
    }

    @Test
    void anythingElseIsALocalPath() {
        assertEquals(new ModelSpec.Local(Path.of("models/clip")), ModelSpec.parse("models/clip"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"hf://", "hf://a/b/c", "hf://a/../b", "hf://a--b/c", "hf://a/b@", "hf://a/b@../../x",
            "hf://a/b@/abs", "hf://a b/c", ""})
    void badSpecsAreRefused(String spec) {
        assertThrows(ModelResolveException.class, () -> ModelSpec.parse(spec));
    }
}
