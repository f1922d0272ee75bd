package io.lakelens.models.hub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakelens.models.checkpoint.CheckpointFolder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which files of a Hugging Face model folder lakelens needs. The same rules judge a Hub repo's
 * file list and a local folder's listing, so both fail with the same words.
 */
final class ModelFiles {
    static final String CONFIG = CheckpointFolder.CONFIG;
    static final String SINGLE_WEIGHTS = CheckpointFolder.WEIGHTS;
    static final String WEIGHTS_INDEX = CheckpointFolder.WEIGHTS_INDEX;
    static final List<String> OPTIONAL = CheckpointFolder.PROCESSOR_FILES;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LISTED_NAMES = 20;

    /**
     * The files to fetch, shards aside.
     *
     * @param weightsIndex  {@link #WEIGHTS_INDEX} when the weights are sharded (its shards must be
     *                      read from it), else null
     */
    record Selection(List<String> files, String weightsIndex) { }

    private ModelFiles() { }

    /**
     * @param available  the names in the repo or folder
     * @param where      the spec or folder, for messages
     * @param remedy     what to suggest when only non-safetensors weights exist
     */
    static Selection select(Collection<String> available, String where, String remedy) {
        Set<String> names = new TreeSet<>(available);
        if (!names.contains(CONFIG)) {
            throw new ModelResolveException(where + " has no config.json, so it is not a Hugging Face model folder; found: "
                    + listed(names));
        }
        List<String> files = new ArrayList<>();
        files.add(CONFIG);
        String index = null;
        if (names.contains(SINGLE_WEIGHTS)) {
            files.add(SINGLE_WEIGHTS);
        } else if (names.contains(WEIGHTS_INDEX)) {
            index = WEIGHTS_INDEX;
            files.add(WEIGHTS_INDEX);
        } else {
            throw noSafetensors(names, where, remedy);
        }
        for (String optional : OPTIONAL) {
            if (names.contains(optional)) {
                files.add(optional);
            }
        }
        return new Selection(files, index);
    }

    /** The distinct shard files an index names, in order; each must be one of {@code available}. */
    static List<String> shards(byte[] indexJson, Collection<String> available, String where) {
        List<String> shards = shardNames(indexJson, where);
        for (String shard : shards) {
            if (!available.contains(shard)) {
                throw new ModelResolveException(WEIGHTS_INDEX + " of " + where + " names shard '" + shard
                        + "', which " + where + " does not have");
            }
        }
        return shards;
    }

    /** The distinct shard files an index names, in order, each a plain relative name. */
    static List<String> shardNames(byte[] indexJson, String where) {
        JsonNode weightMap;
        try {
            weightMap = JSON.readTree(indexJson).path("weight_map");
        } catch (IOException e) {
            throw new ModelResolveException(WEIGHTS_INDEX + " of " + where + " is not valid JSON: "
                    + (e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage()));
        }
        if (!weightMap.isObject() || weightMap.isEmpty()) {
            throw new ModelResolveException(WEIGHTS_INDEX + " of " + where + " has no weight_map");
        }
        Set<String> shards = new TreeSet<>();
        weightMap.elements().forEachRemaining(node -> shards.add(node.asText()));
        for (String shard : shards) {
            if (!isPlainRelativeName(shard)) {
                throw new ModelResolveException(WEIGHTS_INDEX + " of " + where + " names shard '" + shard
                        + "', which is not a file name inside the model folder");
            }
        }
        return List.copyOf(shards);
    }

    /** Guards the snapshot folder: names come from the server and become paths. */
    static boolean isPlainRelativeName(String name) {
        if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains(":")) {
            return false;
        }
        for (String part : name.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static ModelResolveException noSafetensors(Set<String> names, String where, String remedy) {
        List<String> otherWeights = names.stream().filter(ModelFiles::isNonSafetensorsWeights).toList();
        if (otherWeights.isEmpty()) {
            return new ModelResolveException(where + " has no model weights (" + SINGLE_WEIGHTS + " or " + WEIGHTS_INDEX
                    + "); found: " + listed(names));
        }
        return new ModelResolveException(where + " has only " + listed(otherWeights)
                + " weights and lakelens reads safetensors only; " + remedy);
    }

    private static boolean isNonSafetensorsWeights(String name) {
        String base = name.substring(name.lastIndexOf('/') + 1);
        return base.startsWith("pytorch_model") && (base.endsWith(".bin") || base.endsWith(".bin.index.json"))
                || base.endsWith(".h5") || base.endsWith(".msgpack") || base.endsWith(".ckpt")
                || base.endsWith(".pt") || base.endsWith(".pth");
    }

    static String listed(Collection<String> names) {
        if (names.isEmpty()) {
            return "nothing";
        }
        List<String> list = new ArrayList<>(names);
        String shown = String.join(", ", list.subList(0, Math.min(LISTED_NAMES, list.size())));
        return list.size() > LISTED_NAMES ? shown + " and " + (list.size() - LISTED_NAMES) + " more" : shown;
    }
}
