package io.lakelens.models.blip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class BlipTokenizerTest {

    private static BlipTokenizer tokenizer() {
        return BlipGolden.captioner().tokenizer();
    }

    @Test
    void everyGoldenTextTokenizesAndDecodesAsTheReference() {
        JsonNode entries = BlipGolden.root().get("tokenization").get("entries");
        assertEquals(32, entries.size());
        for (JsonNode e : entries) {
            String text = e.get("text").asText();
            assertArrayEquals(BlipGolden.ints(e.get("input_ids")), tokenizer().encode(text), "input_ids of " + text);
            assertArrayEquals(BlipGolden.ints(e.get("plain_ids")), tokenizer().encodePlain(text), "plain_ids of " + text);
            assertEquals(e.get("decoded").asText(), tokenizer().decode(BlipGolden.ints(e.get("input_ids"))),
                    "decoded of " + text);
        }
    }

    @Test
    void modelOnlyIdsDecodeToNothing() {
        // [DEC] 30522 and [ENC] 30523 are not in the tokenizer's vocabulary.
        assertEquals("a picture of", tokenizer().decode(new int[] {30522, 1037, 3861, 1997, 30523, 102}));
    }

    @Test
    void generatedSequencesDecodeAsTheReference() {
        for (JsonNode run : BlipGolden.root().get("blip").get("generate")) {
            assertEquals(run.get("decoded").asText(), tokenizer().decode(BlipGolden.ints(run.get("sequence"))));
        }
    }

    @Test
    void oneInstanceServesManyThreads() throws Exception {
        JsonNode entries = BlipGolden.root().get("tokenization").get("entries");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                futures.add(pool.submit(() -> {
                    for (int round = 0; round < 25; round++) {
                        for (JsonNode e : entries) {
                            int[] ids = BlipGolden.ints(e.get("input_ids"));
                            assertArrayEquals(ids, tokenizer().encode(e.get("text").asText()));
                            assertEquals(e.get("decoded").asText(), tokenizer().decode(ids));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
