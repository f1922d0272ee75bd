package io.lakelens.models.hub;

import java.nio.file.Path;

/**
 * A model folder ready to load, and the id that names it in tables.
 *
 * <p>{@code modelId} is stable: resolving the same model again, on any machine, gives the same
 * string, so it can key Delta tables.
 * <ul>
 *   <li>Hub models: {@code hf://ORG/NAME@<40-hex commit sha>}. The commit, not the branch the user
 *       asked for, because {@code main} moves and a commit does not.</li>
 *   <li>Local folders: {@code local:<absolute real path>#<12 hex>}, where the hex is the start of a
 *       SHA-256 over the contents of {@code config.json} and of the safetensors weights (index and
 *       shards included). Content, not size or time, so that two fine-tunes written to the same
 *       folder get different ids; it costs about a second per GB of weights.</li>
 * </ul>
 *
 * @param folder   a folder with {@code config.json} and safetensors weights
 * @param modelId  the stable id described above
 */
public record ResolvedModel(Path folder, String modelId) { }
