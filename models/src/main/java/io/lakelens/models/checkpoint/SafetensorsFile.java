package io.lakelens.models.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code .safetensors} file: an 8-byte little-endian header length, a JSON header naming every
 * tensor's dtype, shape and byte range, then the raw little-endian data.
 *
 * <p>DJL's {@code NDList.decode} reads this format too, but it reads the whole file into one Java
 * array and reports a truncated file as a generic "Malformed data". lakelens reads each tensor on
 * demand (weights can be several GB, spread over shards) and checks the header against the file's
 * real size first, so a truncated download is reported as such, naming the file.
 */
public final class SafetensorsFile {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER_BYTES = 100L << 20;

    private final Path path;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(
            Path path, long dataStart, Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.path = path;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /**
     * Reads and validates the header.
     *
     * @param path the file
     * @return the file's index
     * @throws CheckpointException if the file is missing, truncated or not safetensors
     */
    public static SafetensorsFile open(Path path) {
        long fileSize;
        try {
            fileSize = Files.size(path);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(path + ": file not found");
        } catch (IOException e) {
            throw new CheckpointException(path + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (fileSize < 8) {
            throw new CheckpointException(
                    path + ": not a safetensors file (only " + fileSize + " bytes; truncated?)");
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = lengthBytes.getLong(0);
            if (headerLength <= 1 || headerLength > MAX_HEADER_BYTES) {
                throw new CheckpointException(
                        path + ": not a safetensors file (header length " + headerLength + ")");
            }
            if (8 + headerLength > fileSize) {
                throw new CheckpointException(
                        path + ": truncated (header needs " + (8 + headerLength)
                                + " bytes, file has " + fileSize + ")");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(channel, headerBytes, 8);
            JsonNode header;
            try {
                header = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new CheckpointException(path + ": not a safetensors file (header is not JSON)");
            }
            if (header == null || !header.isObject()) {
                throw new CheckpointException(path + ": not a safetensors file (header is not a JSON object)");
            }
            long dataStart = 8 + headerLength;
            long dataSize = fileSize - dataStart;
            Map<String, TensorInfo> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            long neededBytes = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                TensorInfo info = parseEntry(path, e.getKey(), e.getValue());
                neededBytes = Math.max(neededBytes, info.end());
                tensors.put(info.name(), info);
            }
            if (neededBytes > dataSize) {
                throw new CheckpointException(
                        path + ": truncated (header describes " + neededBytes + " bytes of tensor data,"
                                + " file has " + dataSize + ")");
            }
            return new SafetensorsFile(
                    path, dataStart, Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
        } catch (IOException e) {
            throw new CheckpointException(path + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static TensorInfo parseEntry(Path path, String name, JsonNode node) {
        String where = path + ": tensor '" + name + "'";
        JsonNode dtype = node.get("dtype");
        JsonNode shape = node.get("shape");
        JsonNode offsets = node.get("data_offsets");
        if (dtype == null || shape == null || offsets == null || !shape.isArray()
                || !offsets.isArray() || offsets.size() != 2) {
            throw new CheckpointException(where + " has a malformed header entry: " + node);
        }
        int bytes = TensorInfo.bytesPerElement(dtype.asText());
        if (bytes < 0) {
            throw new CheckpointException(where + " has unsupported dtype " + dtype.asText());
        }
        long[] dims = new long[shape.size()];
        long numel = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.get(i).asLong(-1);
            if (dims[i] < 0) {
                throw new CheckpointException(where + " has a negative dimension: " + shape);
            }
            numel *= dims[i];
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        if (begin < 0 || end < begin || end - begin != numel * bytes) {
            throw new CheckpointException(
                    where + " has data_offsets " + offsets + " that do not fit " + dtype.asText() + shape);
        }
        return new TensorInfo(name, dtype.asText(), dims, begin, end);
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long pos = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }

    public Path path() {
        return path;
    }

    /** Tensors in header order. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** The {@code __metadata__} map (e.g. {@code format=pt}); empty if absent. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Reads one tensor's values as float32, converting F16, BF16 and F64.
     *
     * @param name the tensor name
     * @return the values in row-major order
     */
    public float[] readFloats(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new CheckpointException(path + ": no tensor '" + name + "'");
        }
        long count = info.numel();
        if (count > Integer.MAX_VALUE) {
            throw new CheckpointException(path + ": tensor '" + name + "' is too large for one array");
        }
        ByteBuffer raw = ByteBuffer.allocate((int) (info.end() - info.begin())).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            readFully(channel, raw, dataStart + info.begin());
        } catch (IOException e) {
            throw new CheckpointException(path + ": cannot read tensor '" + name + "' (" + e.getMessage() + ")", e);
        }
        raw.flip();
        return FloatConversions.toFloat32(raw, info.dtype(), (int) count, path + ": tensor '" + name + "'");
    }
}
