package io.lakelens.models.hub;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * What the user typed to name a model: a local folder, or {@code hf://ORG/NAME[@REVISION]}.
 * Anything that does not start with {@code hf://} is a path.
 */
sealed interface ModelSpec {
    String HF_SCHEME = "hf://";
    String DEFAULT_REVISION = "main";

    record Local(Path folder) implements ModelSpec { }

    /**
     * @param repoId   {@code ORG/NAME}, or a bare legacy name such as {@code gpt2}
     * @param revision a branch, tag, {@code refs/pr/N} or commit sha
     */
    record Hub(String repoId, String revision) implements ModelSpec {
        /** The spec as the user would type it, for messages. */
        String display() {
            return HF_SCHEME + repoId + (DEFAULT_REVISION.equals(revision) ? "" : "@" + revision);
        }

        String withRevision(String rev) {
            return HF_SCHEME + repoId + "@" + rev;
        }
    }

    // The Hub's own rule for repo ids: one or two names of word characters, '-' and '.'.
    Pattern REPO_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    // The revision becomes a path under refs/, so it must not climb out of it.
    Pattern SAFE_REVISION = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");

    static ModelSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new ModelResolveException("empty model spec; pass a local folder or hf://ORG/NAME[@REVISION]");
        }
        String trimmed = spec.strip();
        if (!trimmed.startsWith(HF_SCHEME)) {
            try {
                return new Local(Path.of(trimmed));
            } catch (InvalidPathException e) {
                throw new ModelResolveException("bad model spec '" + spec + "': not a path (" + e.getReason()
                        + ") and not hf://ORG/NAME[@REVISION]");
            }
        }
        String rest = trimmed.substring(HF_SCHEME.length());
        int at = rest.indexOf('@');
        String repoId = at < 0 ? rest : rest.substring(0, at);
        String revision = at < 0 ? DEFAULT_REVISION : rest.substring(at + 1);
        if (!isValidRepoId(repoId)) {
            throw new ModelResolveException("bad model spec '" + spec + "': expected hf://ORG/NAME or hf://ORG/NAME@REVISION");
        }
        if (!SAFE_REVISION.matcher(revision).matches() || revision.contains("..")) {
            throw new ModelResolveException("bad revision '" + revision + "' in model spec '" + spec
                    + "': expected a branch, tag, refs/pr/N or commit sha");
        }
        return new Hub(repoId, revision);
    }

    private static boolean isValidRepoId(String repoId) {
        String[] parts = repoId.split("/", -1);
        if (parts.length > 2 || repoId.contains("--") || repoId.contains("..")) {
            return false;
        }
        for (String part : parts) {
            if (!REPO_NAME.matcher(part).matches()) {
                return false;
            }
        }
        return true;
    }

    /** True when a local path that does not exist looks like a Hub repo id the user meant. */
    static boolean looksLikeRepoId(Path path) {
        return !path.isAbsolute() && !Files.exists(path) && isValidRepoId(path.toString().replace('\\', '/'))
                && path.getNameCount() == 2;
    }
}
