package io.lakelens.models.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One repo's corner of the cache, laid out as huggingface_hub lays out its own, so either tool can
 * read what the other wrote and a cache copied between machines just works:
 * <pre>
 * CACHE/models--ORG--NAME/blobs/ETAG                 file content, named by its Hub ETag
 * CACHE/models--ORG--NAME/blobs/ETAG.incomplete      a download in progress, resumed from its size
 * CACHE/models--ORG--NAME/snapshots/COMMIT/FILE      relative symlink to ../../blobs/ETAG (a copy where links fail)
 * CACHE/models--ORG--NAME/refs/REVISION              the commit REVISION pointed at when last resolved
 * CACHE/.locks/models--ORG--NAME/ETAG.lock           held while one process downloads ETAG
 * </pre>
 * A ref is written only after its snapshot is complete.
 */
final class HubCache {
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    private final Path root;
    private final Path repoDir;
    private final Path lockDir;

    HubCache(Path root, String repoId) {
        String folder = "models--" + repoId.replace("/", "--");
        this.root = root;
        this.repoDir = root.resolve(folder);
        this.lockDir = root.resolve(".locks").resolve(folder);
    }

    Path root() { return root; }
    Path blob(String etag) { return repoDir.resolve("blobs").resolve(etag); }
    Path incompleteBlob(String etag) { return repoDir.resolve("blobs").resolve(etag + ".incomplete"); }
    Path lockFile(String etag) { return lockDir.resolve(etag + ".lock"); }
    Path snapshot(String commit) { return repoDir.resolve("snapshots").resolve(commit); }

    static boolean isCommit(String revision) {
        return COMMIT.matcher(revision).matches();
    }

    /** The commit a revision resolved to when last online; a commit stands for itself. */
    Optional<String> commitFor(String revision) {
        if (isCommit(revision)) {
            return Optional.of(revision);
        }
        Path ref = repoDir.resolve("refs").resolve(revision);
        try {
            String commit = Files.readString(ref, StandardCharsets.US_ASCII).strip();
            return isCommit(commit) ? Optional.of(commit) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    void writeRef(String revision, String commit) throws IOException {
        if (revision.equals(commit)) {
            return;
        }
        Path ref = repoDir.resolve("refs").resolve(revision);
        Files.createDirectories(ref.getParent());
        Path tmp = Files.createTempFile(ref.getParent(), ".ref", ".tmp");
        Files.writeString(tmp, commit, StandardCharsets.US_ASCII);
        moveReplacing(tmp, ref);
    }

    /**
     * True when the snapshot holds config.json and all its safetensors weights. Files are linked
     * into a snapshot only after every download of it was verified, so this is enough.
     */
    boolean isComplete(String commit) {
        Path dir = snapshot(commit);
        if (!Files.isRegularFile(dir.resolve(ModelFiles.CONFIG))) {
            return false;
        }
        if (Files.isRegularFile(dir.resolve(ModelFiles.SINGLE_WEIGHTS))) {
            return true;
        }
        Path index = dir.resolve(ModelFiles.WEIGHTS_INDEX);
        if (!Files.isRegularFile(index)) {
            return false;
        }
        try {
            List<String> shards = ModelFiles.shardNames(Files.readAllBytes(index), index.toString());
            return shards.stream().allMatch(shard -> Files.isRegularFile(dir.resolve(shard)));
        } catch (IOException | ModelResolveException e) {
            return false;
        }
    }

    /** Puts {@code file} into the commit's snapshot, pointing at its blob. */
    void link(String commit, String file, String etag) throws IOException {
        Path target = snapshot(commit).resolve(file);
        Path blob = blob(etag);
        Files.createDirectories(target.getParent());
        // A name of its own: threads of one executor may link the same file at the same moment.
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createSymbolicLink(tmp, target.getParent().relativize(blob));
        } catch (UnsupportedOperationException | FileSystemException e) {
            // Windows without developer mode, some network file systems: copy, as huggingface_hub does.
            Files.copy(blob, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        moveReplacing(tmp, target);
    }

    static void moveReplacing(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
