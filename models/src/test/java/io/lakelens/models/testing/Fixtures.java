package io.lakelens.models.testing;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Paths of the golden fixtures copied into the models module's test resources. */
public final class Fixtures {

    private Fixtures() {}

    /** The tiny random CLIP in Hugging Face layout, with {@code golden.json}. */
    public static Path clipTiny() {
        return resource("golden/clip-tiny");
    }

    /** The tiny random BLIP captioner in Hugging Face layout, with {@code golden.json}. */
    public static Path blipTiny() {
        return resource("golden/blip-tiny");
    }

    /** The tokenizer test strings and expectations. */
    public static Path tokenizers() {
        return resource("golden/tokenizers");
    }

    /** A folder or file under the test resources. */
    public static Path resource(String name) {
        URL url = Fixtures.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource not found: " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
