package io.lakelens.models.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakelens.models.checkpoint.CheckpointException;
import io.lakelens.models.testing.Fixtures;
import io.lakelens.models.text.ClipTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every entry of clip-tiny's {@code tokenization} section, through DJL's HuggingFaceTokenizer. */
class ClipTokenizerTest {

    private static final int MAX = 77;
    private static ClipTokenizer tokenizer;
    private static JsonNode entries;

    @BeforeAll
    static void open() {
        tokenizer = ClipTokenizer.open(Fixtures.clipTiny(), MAX);
        entries = ClipGolden.root().get("tokenization").get("entries");
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    /** README 3.1: the fast tokenizer must give fast_input_ids where present, input_ids otherwise. */
    private static long[] expectedPaddedIds(JsonNode e) {
        return ClipGolden.longs(e.has("fast_input_ids") ? e.get("fast_input_ids") : e.get("input_ids"));
    }

    private static long[] expectedMask(JsonNode e) {
        return ClipGolden.longs(e.has("fast_attention_mask") ? e.get("fast_attention_mask") : e.get("attention_mask"));
    }

    private static long[] padTo77(long[] ids) {
        long[] out = Arrays.copyOf(ids, MAX);
        Arrays.fill(out, ids.length, MAX, 49407L);
        return out;
    }

    @Test
    void all32TextsGiveTheReferenceIdsAndMasks() {
        assertEquals(32, entries.size());
        int fastOnly = 0;
        for (JsonNode e : entries) {
            String text = e.get("text").asText();
            long[] ids = tokenizer.encode(text);
            long[] expectedIds = expectedPaddedIds(e);
            long[] expectedMask = expectedMask(e);
            int tokens = (int) Arrays.stream(expectedMask).sum();
            assertEquals(tokens, ids.length, "length of '" + text + "'");
            // The reference pads to 77 with 49407; so do we when asked to.
            assertArrayEquals(expectedIds, padTo77(ids), "ids of '" + text + "'");
            ClipTokenizer.Batch alone = tokenizer.encode(List.of(text));
            assertArrayEquals(Arrays.copyOf(expectedMask, tokens), alone.attentionMask()[0], "mask of '" + text + "'");
            if (!e.has("fast_input_ids")) {
                assertArrayEquals(ClipGolden.longs(e.get("ids_unpadded")), ids, "ids_unpadded of '" + text + "'");
            } else {
                fastOnly++;
            }
        }
        assertEquals(5, fastOnly, "README: slow and fast differ on 5 of the 32 texts");
    }

    @Test
    void longTextsKeepStartTheFirst75TokensAndEnd() {
        JsonNode longest = entries.get(entries.size() - 1);
        assertEquals(108, longest.get("num_tokens_untruncated").asInt());
        long[] ids = tokenizer.encode(longest.get("text").asText());
        assertEquals(MAX, ids.length);
        assertEquals(49406L, ids[0]);
        assertEquals(49407L, ids[MAX - 1]);
        assertArrayEquals(ClipGolden.longs(longest.get("ids_unpadded")), ids);
    }

    @Test
    void batchesArePaddedToTheirLongestTextWithEndOfText() {
        ClipTokenizer.Batch batch = tokenizer.encode(List.of("a photo of a cat", "", "two dogs playing in the snow"));
        assertEquals(49407L, tokenizer.padId());
        assertEquals(3, batch.size());
        assertArrayEquals(new int[] {7, 2, 8}, batch.lengths());
        assertEquals(8, batch.paddedLength());
        assertArrayEquals(new long[] {49406, 49407, 49407, 49407, 49407, 49407, 49407, 49407}, batch.inputIds()[1]);
        assertArrayEquals(new long[] {1, 1, 0, 0, 0, 0, 0, 0}, batch.attentionMask()[1]);
        assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 1, 1}, batch.attentionMask()[2]);
        assertEquals(0, tokenizer.encode(List.of()).size());
        assertThrows(IllegalArgumentException.class, () -> tokenizer.encode((String) null));
    }

    @Test
    void sharedAcrossThreadsGivesTheSameIds() throws Exception {
        List<String> texts = new ArrayList<>();
        entries.forEach(e -> texts.add(e.get("text").asText()));
        List<long[]> expected = new ArrayList<>();
        texts.forEach(t -> expected.add(tokenizer.encode(t)));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int worker = 0; worker < 8; worker++) {
                int offset = worker;
                results.add(pool.submit(() -> {
                    for (int round = 0; round < 50; round++) {
                        for (int i = 0; i < texts.size(); i++) {
                            int k = (i + offset + round) % texts.size();
                            if (!Arrays.equals(expected.get(k), tokenizer.encode(texts.get(k)))) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void missingTokenizerFileAndUseAfterCloseAreClear(@TempDir Path empty) {
        CheckpointException missing = assertThrows(CheckpointException.class, () -> ClipTokenizer.open(empty, MAX));
        assertTrue(missing.getMessage().contains("tokenizer.json"), missing.getMessage());
        ClipTokenizer closed = ClipTokenizer.open(Fixtures.clipTiny(), MAX);
        closed.close();
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.encode("a cat"));
    }
}
