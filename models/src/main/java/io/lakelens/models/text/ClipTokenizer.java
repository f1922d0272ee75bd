package io.lakelens.models.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakelens.models.checkpoint.CheckpointException;
import io.lakelens.models.checkpoint.CheckpointFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * CLIP's byte-level BPE tokenizer from a model folder's {@code tokenizer.json}, through DJL's
 * binding of Hugging Face's Rust {@code tokenizers} (the "fast" tokenizer).
 *
 * <p>Each text becomes {@code <|startoftext|> tokens <|endoftext|>}, truncated to {@code
 * maxLength} by keeping the start token, the first {@code maxLength - 2} tokens and the end token.
 * A batch is padded to its longest text, not to {@code maxLength}: CLIP's causal mask and EOS
 * pooling make the embeddings independent of padding, and padding is where the time goes.
 *
 * <p>Thread-safe: the Rust tokenizer is configured once here and {@code encode} only reads it, so
 * Spark task threads may share one instance. A read-write lock keeps {@link #close} from freeing
 * the native tokenizer under a running {@code encode}.
 *
 * <p>This is the fast tokenizer, which differs by design from transformers' slow {@code
 * CLIPTokenizer} on control/format characters, CJK ideographs and a word-final capital sigma (see
 * the golden fixtures' README, section 3.1).
 */
public final class ClipTokenizer implements AutoCloseable {

    /** CLIP's pad token: transformers pads CLIP text with {@code <|endoftext|>}. */
    public static final String DEFAULT_PAD_TOKEN = "<|endoftext|>";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Token ids of a batch, right-padded to its longest text.
     *
     * @param inputIds {@code [B][L]}
     * @param attentionMask {@code [B][L]}: 1 for tokens, 0 for padding
     * @param lengths tokens of each text (special tokens included), at most {@code maxLength}
     */
    public record Batch(long[][] inputIds, long[][] attentionMask, int[] lengths) {

        public int size() {
            return inputIds.length;
        }

        /** L, the padded length (0 for an empty batch). */
        public int paddedLength() {
            return inputIds.length == 0 ? 0 : inputIds[0].length;
        }
    }

    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;
    private final long padId;
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private ClipTokenizer(HuggingFaceTokenizer tokenizer, int maxLength, long padId) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.padId = padId;
    }

    /**
     * Opens {@code tokenizer.json} in a model folder; the pad token comes from {@code
     * tokenizer_config.json} when present, else {@value #DEFAULT_PAD_TOKEN}.
     *
     * @param folder the model folder
     * @param maxLength the longest encoding, special tokens included (the text tower's {@code
     *     max_position_embeddings}, 77 for CLIP)
     * @throws CheckpointException if the files are missing or unusable
     */
    public static ClipTokenizer open(Path folder, int maxLength) {
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must leave room for the start and end tokens: " + maxLength);
        }
        Path file = folder.resolve(CheckpointFolder.TOKENIZER);
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(
                    folder.toAbsolutePath() + ": no tokenizer.json (needed to tokenize CLIP text)");
        }
        Map<String, String> options = Map.of(
                "addSpecialTokens", "true",
                "truncation", "true",
                "padding", "false",
                "maxLength", Integer.toString(maxLength),
                // DJL caps maxLength at modelMaxLength (512 unless set).
                "modelMaxLength", Integer.toString(maxLength));
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(file, options);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(file + ": cannot load tokenizer (" + e.getMessage() + ")", e);
        }
        try {
            String padToken = padToken(folder.resolve("tokenizer_config.json"));
            long[] padIds = tokenizer.encode(padToken, false, false).getIds();
            if (padIds.length != 1) {
                throw new CheckpointException(file + ": pad token '" + padToken + "' is not a single token: "
                        + Arrays.toString(padIds));
            }
            return new ClipTokenizer(tokenizer, maxLength, padIds[0]);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    private static String padToken(Path tokenizerConfig) {
        if (!Files.isRegularFile(tokenizerConfig)) {
            return DEFAULT_PAD_TOKEN;
        }
        JsonNode pad;
        try {
            pad = JSON.readTree(tokenizerConfig.toFile()).get("pad_token");
        } catch (IOException e) {
            throw new CheckpointException(tokenizerConfig + ": not valid JSON (" + e.getMessage() + ")", e);
        }
        if (pad == null || pad.isNull()) {
            return DEFAULT_PAD_TOKEN;
        }
        // Either "<|endoftext|>" or an AddedToken object {"content": "<|endoftext|>", ...}.
        return pad.isTextual() ? pad.textValue() : pad.path("content").asText(DEFAULT_PAD_TOKEN);
    }

    /**
     * Encodes one text without padding.
     *
     * @param text any string; null is an error
     * @return {@code [<|startoftext|>, ..., <|endoftext|>]}, at most {@code maxLength} ids
     */
    public long[] encode(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text is null");
        }
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("tokenizer is closed");
            }
            Encoding encoding = tokenizer.encode(text);
            return encoding.getIds();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Encodes texts and right-pads them to the longest with {@link #padId()}.
     *
     * @param texts the texts (none null); an empty list gives an empty batch
     */
    public Batch encode(List<String> texts) {
        long[][] unpadded = new long[texts.size()][];
        int longest = 0;
        for (int i = 0; i < unpadded.length; i++) {
            unpadded[i] = encode(texts.get(i));
            longest = Math.max(longest, unpadded[i].length);
        }
        long[][] ids = new long[unpadded.length][longest];
        long[][] mask = new long[unpadded.length][longest];
        int[] lengths = new int[unpadded.length];
        for (int i = 0; i < unpadded.length; i++) {
            int n = unpadded[i].length;
            System.arraycopy(unpadded[i], 0, ids[i], 0, n);
            Arrays.fill(ids[i], n, longest, padId);
            Arrays.fill(mask[i], 0, n, 1L);
            lengths[i] = n;
        }
        return new Batch(ids, mask, lengths);
    }

    /** The id padding is filled with (49407, {@code <|endoftext|>}, for CLIP). */
    public long padId() {
        return padId;
    }

    public int maxLength() {
        return maxLength;
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                tokenizer.close();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
