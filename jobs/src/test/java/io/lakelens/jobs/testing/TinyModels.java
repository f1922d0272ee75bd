package io.lakelens.jobs.testing;

import java.nio.file.Path;

/** The tiny random CLIP and BLIP checkpoints kept in the repository (the golden fixtures). */
public final class TinyModels {

    private TinyModels() {}

    private static Path golden() {
        return Path.of(System.getProperty("lakelens.repoRoot"), "models", "src", "test", "resources", "golden");
    }

    public static Path clip() {
        return golden().resolve("clip-tiny");
    }

    public static Path blip() {
        return golden().resolve("blip-tiny");
    }

    /** The bundled sample images' manifest. */
    public static Path samplesManifest() {
        return Path.of(System.getProperty("lakelens.repoRoot"), "data-samples", "openclipart", "manifest.jsonl");
    }
}
