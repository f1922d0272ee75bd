package io.lakelens.models.hub;

/**
 * Finds the model a user named and returns a folder lakelens can load.
 *
 * <p>A spec is either a local folder (it must hold {@code config.json} and safetensors weights) or
 * {@code hf://ORG/NAME[@REVISION]}, downloaded from the Hugging Face Hub into a cache (see
 * {@link HubOptions} for where, and for offline mode). Only what lakelens reads is fetched: the
 * config, the safetensors weights (single file, or index and shards) and the tokenizer and
 * preprocessor files the repo has.
 *
 * <p>Every failure is a {@link ModelResolveException} with a one-line message for the user.
 */
public final class ModelLocator {
    private ModelLocator() { }

    public static ResolvedModel resolve(String spec) {
        return resolve(spec, HubOptions.defaults());
    }

    public static ResolvedModel resolve(String spec, HubOptions options) {
        ModelSpec parsed = ModelSpec.parse(spec);
        if (parsed instanceof ModelSpec.Local local) {
            return LocalModelFolder.resolve(local.folder());
        }
        return new HubModelResolver(options).resolve((ModelSpec.Hub) parsed);
    }
}
