package io.lakelens.models.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.models.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo jar's checkpoints unpack to the golden fixtures' model files, byte for byte, and stay put. */
class DemoCheckpointsTest {

    @TempDir
    Path tmp;

    @Test
    void unpacksTheFixtureModelFilesOnceAndKeepsTheirId() throws IOException {
        for (String name : List.of(DemoCheckpoints.CLIP, DemoCheckpoints.BLIP)) {
            Path folder = DemoCheckpoints.unpack(name, tmp).orElseThrow();
            Path fixture = Fixtures.resource("golden/" + name);
            List<String> files;
            try (Stream<Path> s = Files.list(folder)) {
                files = s.map(p -> p.getFileName().toString()).sorted().toList();
            }
            assertTrue(files.contains("model.safetensors") && files.contains("tokenizer.json"), files.toString());
            assertFalse(files.contains("golden.json"), "golden values are not part of a model");
            for (String f : files) {
                assertArrayEquals(Files.readAllBytes(fixture.resolve(f)), Files.readAllBytes(folder.resolve(f)), f);
            }
            // Same content, same id as the fixture folder's (the id hashes content, named by folder).
            String id = ModelLocator.resolve(folder.toString()).modelId();
            assertEquals(ModelLocator.resolve(fixture.toString()).modelId().replaceAll(".*#", ""), id.replaceAll(".*#", ""));

            FileTime written = Files.getLastModifiedTime(folder.resolve("model.safetensors"));
            Files.setLastModifiedTime(folder.resolve("model.safetensors"), FileTime.fromMillis(written.toMillis() - 60_000));
            DemoCheckpoints.unpack(name, tmp);
            assertEquals(written.toMillis() - 60_000, Files.getLastModifiedTime(folder.resolve("model.safetensors")).toMillis(),
                    "an unchanged file is not rewritten");
            assertEquals(id, ModelLocator.resolve(folder.toString()).modelId());
        }
    }
}
