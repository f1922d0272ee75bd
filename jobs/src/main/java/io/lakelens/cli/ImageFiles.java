package io.lakelens.cli;

import io.lakelens.jobs.inference.ImageBatches;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Image files through a model for the {@code model} commands, on the jobs' executor kit ({@link
 * ImageBatches}): read, decode and preprocess into one buffer per batch, one model call, one by one
 * if that fails. A file that cannot be read, decoded or run gets a one-line error naming it on stderr
 * and is left out; the others go on, and the command exits with 1 at the end.
 */
final class ImageFiles {

    /** What the command does with a finished file. */
    @FunctionalInterface
    interface Output<R> {
        void print(Path file, R result);
    }

    private final PrintWriter err;
    private int failures;

    ImageFiles(PrintWriter err) {
        this.err = err;
    }

    /** Runs {@code files} through {@code model} in batches of {@code batchSize}, in order. */
    <R> void run(List<Path> files, int batchSize, ImageBatches.Model<Path, R> model, Output<R> output) {
        for (List<Path> batch : ImageBatches.batches(files, batchSize)) {
            ImageBatches.process(batch, ImageFiles::read, model, new ImageBatches.Outcomes<>() {
                @Override
                public void done(Path file, R result) {
                    output.print(file, result);
                }

                @Override
                public void failed(Path file, String stage, String code, String reason) {
                    failures++;
                    err.println("lakelens model: " + file + ": " + reason);
                    err.flush();
                }
            });
        }
    }

    private static byte[] read(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException("file not found", e);
        } catch (IOException e) {
            throw new IOException("cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** 0 when every file was processed, 1 otherwise. */
    int exitCode() {
        return failures == 0 ? 0 : 1;
    }
}
