package io.lakelens.models.hub;

import io.lakelens.models.checkpoint.CheckpointFolder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The tiny random CLIP ({@value #CLIP}) and BLIP ({@value #BLIP}) checkpoints shipped in the {@code
 * lakelens-demo-models} jar, for a demo on a machine that cannot reach the Hub. A jar entry cannot be
 * loaded as a model folder, so they are unpacked into a folder of their own first; the folder is
 * kept, and a file is only rewritten when the jar's differs, so the model ids stay the same across
 * runs (jobs then find their earlier results).
 */
public final class DemoCheckpoints {

    public static final String CLIP = "clip-tiny";
    public static final String BLIP = "blip-tiny";

    private static final String RESOURCES = "io/lakelens/models/demo/";

    private DemoCheckpoints() {}

    /** Where the demo checkpoints are unpacked by default: beside the Hub cache. */
    public static Path defaultRoot() {
        return HubOptions.defaults().cacheDir().resolveSibling("demo-models");
    }

    /**
     * Unpacks a checkpoint into {@code root/name}.
     *
     * @param name {@link #CLIP} or {@link #BLIP}
     * @return the model folder, or empty when the jar is not on the classpath
     */
    public static Optional<Path> unpack(String name, Path root) {
        ClassLoader loader = DemoCheckpoints.class.getClassLoader();
        if (loader.getResource(RESOURCES + name + "/" + CheckpointFolder.CONFIG) == null) {
            return Optional.empty();
        }
        List<String> files = new ArrayList<>(List.of(CheckpointFolder.CONFIG, CheckpointFolder.WEIGHTS));
        files.addAll(CheckpointFolder.PROCESSOR_FILES);
        Path folder = root.resolve(name);
        try {
            Files.createDirectories(folder);
            for (String file : files) {
                try (InputStream in = loader.getResourceAsStream(RESOURCES + name + "/" + file)) {
                    if (in != null) {
                        writeIfDifferent(in.readAllBytes(), folder.resolve(file));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the demo checkpoint " + name + " into " + folder, e);
        }
        return Optional.of(folder);
    }

    private static void writeIfDifferent(byte[] bytes, Path target) throws IOException {
        if (Files.isRegularFile(target) && Files.size(target) == bytes.length
                && Arrays.equals(Files.readAllBytes(target), bytes)) {
            return;
        }
        // Written beside and moved, so a concurrent reader never sees half a file.
        Path partial = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".partial");
        Files.write(partial, bytes);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
