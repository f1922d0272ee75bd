package io.lakelens.jobs.inference;

import io.lakelens.jobs.LakelensException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A model folder packed as an uncompressed zip for {@code SparkContext.addArchive}, cached in the
 * temp folder by model id so a model is packed once per driver machine.
 */
final class ModelArchive {

    private ModelArchive() {}

    static Path of(Path folder, String modelId) {
        try {
            String name = "lakelens-model-" + HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(modelId.getBytes(StandardCharsets.UTF_8))).substring(0, 16) + ".zip";
            Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "lakelens-models"));
            Path archive = dir.resolve(name);
            if (Files.exists(archive)) {
                return archive;
            }
            Path partial = Files.createTempFile(dir, name, ".partial");
            try (OutputStream raw = Files.newOutputStream(partial); ZipOutputStream zip = new ZipOutputStream(raw);
                    Stream<Path> files = Files.list(folder)) {
                // Weights do not compress; storing them keeps packing at disk speed.
                zip.setLevel(0);
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                    zip.putNextEntry(new ZipEntry(f.getFileName().toString()));
                    Files.copy(f, zip);
                    zip.closeEntry();
                }
            }
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return archive;
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new LakelensException("cannot pack model folder " + folder + " for the executors: " + e.getMessage(), e);
        }
    }

}
