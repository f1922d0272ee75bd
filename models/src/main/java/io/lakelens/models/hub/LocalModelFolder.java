package io.lakelens.models.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Checks a user's local model folder and gives it a content-based id (see {@link ResolvedModel}). */
final class LocalModelFolder {
    private static final int ID_HEX_CHARS = 12;
    private static final String REMEDY = "convert them with transformers "
            + "(model.save_pretrained(folder, safe_serialization=True)) or use the model from the Hub with hf://ORG/NAME";

    private LocalModelFolder() { }

    static ResolvedModel resolve(Path folder) {
        if (!Files.exists(folder)) {
            String hint = ModelSpec.looksLikeRepoId(folder) ? "; did you mean hf://" + folder.toString().replace('\\', '/') + " ?" : "";
            throw new ModelResolveException("model folder " + folder.toAbsolutePath() + " does not exist" + hint);
        }
        if (!Files.isDirectory(folder)) {
            throw new ModelResolveException("model path " + folder.toAbsolutePath()
                    + " is a file, not a folder; pass the folder that holds config.json and the weights");
        }
        try {
            Path real = folder.toRealPath();
            List<String> names = listing(real);
            ModelFiles.Selection selection = ModelFiles.select(names, real.toString(), REMEDY);
            List<String> identifying = new ArrayList<>();
            identifying.add(ModelFiles.CONFIG);
            if (selection.weightsIndex() == null) {
                identifying.add(ModelFiles.SINGLE_WEIGHTS);
            } else {
                identifying.add(selection.weightsIndex());
                byte[] index = Files.readAllBytes(real.resolve(selection.weightsIndex()));
                identifying.addAll(ModelFiles.shards(index, names, real.toString()));
            }
            return new ResolvedModel(real, "local:" + real + "#" + contentHash(real, identifying));
        } catch (IOException e) {
            throw new ModelResolveException("cannot read model folder " + folder.toAbsolutePath() + ": " + e, e);
        }
    }

    /** Names of the folder's entries; sub-folders end in '/' so the error listing shows them as such. */
    private static List<String> listing(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName() + (Files.isDirectory(p) ? "/" : "")).sorted().toList();
        }
    }

    /** Name, length and bytes of each file, framed so that moving bytes between files changes the hash. */
    private static String contentHash(Path folder, List<String> files) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        for (String name : files) {
            Path file = folder.resolve(name);
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(Long.toString(Files.size(file)).getBytes(StandardCharsets.US_ASCII));
            digest.update((byte) 0);
            Sha256.update(digest, file);
        }
        return HexFormat.of().formatHex(digest.digest()).substring(0, ID_HEX_CHARS);
    }
}
