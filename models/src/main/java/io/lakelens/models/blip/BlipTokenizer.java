package io.lakelens.models.blip;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.lakelens.models.checkpoint.CheckpointException;
import io.lakelens.models.checkpoint.CheckpointFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * BLIP's text side outside the model: the {@code bert-base-uncased} WordPiece tokenizer of the
 * folder's {@code tokenizer.json}, through DJL's binding of Hugging Face's Rust {@code tokenizers}.
 *
 * <p>Encoding matches {@code BlipProcessor(text=...)} ({@code [CLS] ... [SEP]}, no padding, no
 * truncation). Decoding matches {@code tokenizer.decode(ids, skip_special_tokens=True)}: special
 * tokens dropped, {@code ##} pieces joined, then {@code clean_up_tokenization} (the reference's
 * {@code clean_up_tokenization_spaces=True}). That cleanup is applied here in Java: the Rust decoder
 * runs its own version token by token, which cannot join {@code it ' s} into {@code it's}; Hugging
 * Face's Python tokenizers (slow and fast alike) apply it to the whole string, as done here. Ids the
 * tokenizer does not know ({@code [DEC]} 30522 and {@code [ENC]} 30523 exist only in the model)
 * decode to nothing.
 *
 * <p>Thread-safe: the native tokenizer is immutable after construction (padding and truncation are
 * set once here), and each call allocates its own native encoding.
 */
public final class BlipTokenizer implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;

    private BlipTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Loads {@code tokenizer.json} from a model folder. */
    public static BlipTokenizer load(Path folder) {
        Path file = folder.resolve(CheckpointFolder.TOKENIZER);
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(folder + ": no tokenizer.json (needed to tokenize prompts and decode captions)");
        }
        try {
            return new BlipTokenizer(HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optAddSpecialTokens(true)
                    .optTruncation(false)
                    .optPadding(false)
                    .build());
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(file + ": cannot load the tokenizer (" + e.getMessage() + ")", e);
        }
    }

    /** {@code [CLS] wordpieces [SEP]}, as the processor gives them. */
    public int[] encode(String text) {
        return ids(tokenizer.encode(text, true, false));
    }

    /** Wordpieces only, no special tokens. */
    public int[] encodePlain(String text) {
        return ids(tokenizer.encode(text, false, false));
    }

    /** Text of token ids with special tokens skipped and tokenization spaces cleaned up. */
    public String decode(int[] ids) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            longs[i] = ids[i];
        }
        return cleanUpTokenization(tokenizer.decode(longs, true));
    }

    /** transformers' {@code PreTrainedTokenizerBase.clean_up_tokenization}, in its order. */
    static String cleanUpTokenization(String s) {
        return s.replace(" .", ".")
                .replace(" ?", "?")
                .replace(" !", "!")
                .replace(" ,", ",")
                .replace(" ' ", "'")
                .replace(" n't", "n't")
                .replace(" 'm", "'m")
                .replace(" 's", "'s")
                .replace(" 've", "'ve")
                .replace(" 're", "'re");
    }

    private static int[] ids(Encoding e) {
        long[] ids = e.getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
