package io.lakelens.models.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The tensors of a checkpoint by name, from one {@code model.safetensors} or from the shards listed
 * in {@code model.safetensors.index.json}. Values are read on demand, one tensor at a time.
 */
public final class StateDict {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, SafetensorsFile> fileOf;

    private StateDict(Map<String, SafetensorsFile> fileOf) {
        this.fileOf = fileOf;
    }

    /** One safetensors file. */
    public static StateDict ofFile(Path file) {
        SafetensorsFile f = SafetensorsFile.open(file);
        Map<String, SafetensorsFile> map = new LinkedHashMap<>();
        f.tensors().keySet().forEach(name -> map.put(name, f));
        return new StateDict(Collections.unmodifiableMap(map));
    }

    /**
     * A sharded checkpoint: the index's {@code weight_map} names the shard of every tensor.
     *
     * @param indexFile {@code model.safetensors.index.json}
     */
    public static StateDict ofIndex(Path indexFile) {
        JsonNode index;
        try {
            index = JSON.readTree(indexFile.toFile());
        } catch (IOException e) {
            throw new CheckpointException(indexFile + ": not valid JSON (" + e.getMessage() + ")", e);
        }
        JsonNode weightMap = index == null ? null : index.get("weight_map");
        if (weightMap == null || !weightMap.isObject()) {
            throw new CheckpointException(indexFile + ": no \"weight_map\" object");
        }
        Path dir = indexFile.toAbsolutePath().getParent();
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        Map<String, SafetensorsFile> map = new LinkedHashMap<>();
        weightMap.fields().forEachRemaining(e -> {
            String shardName = e.getValue().asText();
            SafetensorsFile shard = shards.computeIfAbsent(shardName, s -> {
                Path p = dir.resolve(s);
                if (!Files.exists(p)) {
                    throw new CheckpointException(indexFile + ": shard " + s + " is missing");
                }
                return SafetensorsFile.open(p);
            });
            if (!shard.tensors().containsKey(e.getKey())) {
                throw new CheckpointException(
                        indexFile + ": tensor '" + e.getKey() + "' should be in " + shardName + " but is not");
            }
            map.put(e.getKey(), shard);
        });
        return new StateDict(Collections.unmodifiableMap(map));
    }

    public Set<String> names() {
        return fileOf.keySet();
    }

    public boolean contains(String name) {
        return fileOf.containsKey(name);
    }

    /** The header entry of a tensor, or null. */
    public TensorInfo info(String name) {
        SafetensorsFile f = fileOf.get(name);
        return f == null ? null : f.tensors().get(name);
    }

    /** Values as float32 (converted from F16, BF16 or F64 if stored so). */
    public float[] floats(String name) {
        SafetensorsFile f = fileOf.get(name);
        if (f == null) {
            throw new CheckpointException("checkpoint has no tensor '" + name + "'");
        }
        return f.readFloats(name);
    }

    /** The file a tensor lives in, for messages. */
    public Path fileOf(String name) {
        SafetensorsFile f = fileOf.get(name);
        return f == null ? null : f.path();
    }
}
