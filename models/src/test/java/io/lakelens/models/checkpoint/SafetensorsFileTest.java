package io.lakelens.models.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.models.testing.Fixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {

    @Test
    void readsTheGoldenClipHeaderAndValues() {
        SafetensorsFile f = SafetensorsFile.open(Fixtures.clipTiny().resolve("model.safetensors"));
        TensorInfo cls = f.tensors().get("vision_model.embeddings.class_embedding");
        assertEquals("F32", cls.dtype());
        assertArrayEquals(new long[] {32}, cls.shape());
        assertEquals("pt", f.metadata().get("format"));
        float[] values = f.readFloats("vision_model.embeddings.class_embedding");
        assertEquals(32, values.length);
        assertTrue(Arrays.stream(toDoubles(values)).allMatch(Double::isFinite));
    }

    @Test
    void writerRoundTripsAndHuggingFaceMetadataIsPresent(@TempDir Path dir) throws IOException {
        float[] a = {1f, -2.5f, 3.25f, Float.MIN_VALUE, -0f, 1e30f};
        Path file = dir.resolve("model.safetensors");
        new SafetensorsWriter().put("a.weight", new long[] {2, 3}, a).put("b", new long[] {1}, new float[] {7f}).write(file);
        SafetensorsFile f = SafetensorsFile.open(file);
        assertArrayEquals(a, f.readFloats("a.weight"));
        assertArrayEquals(new float[] {7f}, f.readFloats("b"));
        assertEquals("pt", f.metadata().get("format"));
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (headerLength + 8) % 8, "data must start 8-byte aligned");
    }

    @Test
    void truncatedFileNamesTheFileAndTheShortfall(@TempDir Path dir) throws IOException {
        byte[] full = Files.readAllBytes(Fixtures.clipTiny().resolve("model.safetensors"));
        Path cut = dir.resolve("model.safetensors");
        Files.write(cut, Arrays.copyOf(full, full.length - 1000));
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafetensorsFile.open(cut));
        assertTrue(e.getMessage().startsWith(cut + ": truncated"), e.getMessage());

        Files.write(cut, Arrays.copyOf(full, 50));
        e = assertThrows(CheckpointException.class, () -> SafetensorsFile.open(cut));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void garbageIsNotSafetensors(@TempDir Path dir) throws IOException {
        Path junk = dir.resolve("model.safetensors");
        Files.write(junk, "this is a text file, not weights".getBytes(StandardCharsets.UTF_8));
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafetensorsFile.open(junk));
        assertTrue(e.getMessage().contains("not a safetensors file"), e.getMessage());
    }

    @Test
    void halfPrecisionConversionsAreExact() {
        assertEquals(1.0f, FloatConversions.halfToFloat((short) 0x3c00));
        assertEquals(-2.0f, FloatConversions.halfToFloat((short) 0xc000));
        assertEquals(65504f, FloatConversions.halfToFloat((short) 0x7bff));
        assertEquals(0x1p-24f, FloatConversions.halfToFloat((short) 0x0001));
        assertEquals(Float.POSITIVE_INFINITY, FloatConversions.halfToFloat((short) 0x7c00));
        assertTrue(Float.isNaN(FloatConversions.halfToFloat((short) 0x7e00)));
        ByteBuffer bf16 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x3f80).putShort((short) 0xc0a0);
        bf16.flip();
        assertArrayEquals(new float[] {1f, -5f}, FloatConversions.toFloat32(bf16, "BF16", 2, "t"));
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
