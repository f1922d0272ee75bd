package io.lakelens.cli;

import io.lakelens.models.image.ImageDecodeException;
import io.lakelens.models.image.ImagePreprocessor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and preprocesses image files for the {@code model} commands. A file that cannot be read or
 * decoded gets a one-line error naming it on stderr and is left out; the others go on, and the
 * command exits with 1 at the end.
 */
final class ImageFiles {

    /** Files that preprocessed, with their pixels back to back. */
    record Batch(List<Path> files, float[] pixels) {}

    private final ImagePreprocessor preprocessor;
    private final int pixelsPerImage;
    private final PrintWriter err;
    private int failures;

    ImageFiles(ImagePreprocessor preprocessor, int pixelsPerImage, PrintWriter err) {
        this.preprocessor = preprocessor;
        this.pixelsPerImage = pixelsPerImage;
        this.err = err;
    }

    /** Loads up to {@code files.size()} images; failures are reported and skipped. */
    Batch load(List<Path> files) {
        float[] pixels = new float[files.size() * pixelsPerImage];
        List<Path> ok = new ArrayList<>();
        for (Path f : files) {
            try {
                preprocessor.preprocessInto(Files.readAllBytes(f), pixels, ok.size() * pixelsPerImage);
                ok.add(f);
            } catch (NoSuchFileException e) {
                fail(f, "file not found");
            } catch (IOException e) {
                fail(f, "cannot read (" + e.getMessage() + ")");
            } catch (ImageDecodeException e) {
                fail(f, e.getMessage());
            }
        }
        // The model takes exactly one image's pixels per file that loaded.
        return new Batch(ok, ok.size() == files.size() ? pixels : java.util.Arrays.copyOf(pixels, ok.size() * pixelsPerImage));
    }

    private void fail(Path f, String why) {
        failures++;
        err.println("lakelens model: " + f + ": " + why);
        err.flush();
    }

    /** 0 when every file was processed, 1 otherwise. */
    int exitCode() {
        return failures == 0 ? 0 : 1;
    }

    static <T> List<List<T>> batches(List<T> items, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            out.add(items.subList(i, Math.min(items.size(), i + size)));
        }
        return out;
    }
}
