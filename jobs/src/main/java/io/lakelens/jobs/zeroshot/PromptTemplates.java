package io.lakelens.jobs.zeroshot;

import io.lakelens.jobs.LakelensException;
import io.lakelens.models.clip.ZeroShotClassifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code --templates}: {@code single} ("a photo of a {}."), {@code imagenet80} (CLIP's 80), or a file. */
public final class PromptTemplates {

    private PromptTemplates() {}

    public static List<String> parse(String spec) {
        if (spec == null || spec.equals("single")) {
            return List.of(ZeroShotClassifier.DEFAULT_TEMPLATE);
        }
        if (spec.equals("imagenet80")) {
            return ZeroShotClassifier.imagenet80Templates();
        }
        Path file = Path.of(spec);
        if (!Files.isRegularFile(file)) {
            throw new LakelensException("--templates " + spec + ": use single, imagenet80 or a file with one template per line");
        }
        try {
            List<String> templates = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            for (int i = 0; i < templates.size(); i++) {
                if (!templates.get(i).contains("{}")) {
                    throw new LakelensException("--templates " + spec + ": template '" + templates.get(i)
                            + "' has no {} placeholder for the class name");
                }
            }
            if (templates.isEmpty()) {
                throw new LakelensException("--templates " + spec + ": no templates in the file");
            }
            return templates;
        } catch (IOException e) {
            throw new LakelensException("--templates " + spec + ": cannot read (" + e.getMessage() + ")", e);
        }
    }
}
