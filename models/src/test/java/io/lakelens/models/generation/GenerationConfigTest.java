package io.lakelens.models.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakelens.models.checkpoint.ConfigNode;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class GenerationConfigTest {

    private static void rejects(String option, Consumer<GenerationConfig.Builder> change) {
        GenerationConfig.Builder b = GenerationConfig.builder();
        change.accept(b);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build, option);
        assertTrue(e.getMessage().contains(option), e.getMessage());
    }

    @Test
    void invalidOptionsAreRejectedByName() {
        rejects("numBeams", b -> b.numBeams(0));
        rejects("topP", b -> b.topP(1.5));
        rejects("topP", b -> b.topP(-0.1));
        rejects("temperature", b -> b.temperature(0));
        rejects("temperature", b -> b.temperature(-1));
        rejects("minNewTokens", b -> b.maxNewTokens(5).minNewTokens(6));
        rejects("maxNewTokens", b -> b.maxNewTokens(0));
        rejects("topK", b -> b.topK(-1));
        rejects("repetitionPenalty", b -> b.repetitionPenalty(0));
        rejects("noRepeatNgramSize", b -> b.noRepeatNgramSize(-2));
        rejects("numBeams", b -> b.doSample(true).numBeams(3));
        rejects("lengthPenalty", b -> b.lengthPenalty(Double.NaN));
    }

    @Test
    void defaultsAreHuggingFaces() {
        GenerationConfig c = GenerationConfig.defaults();
        assertEquals(20, c.maxLength());
        assertEquals(GenerationConfig.UNSET, c.maxNewTokens());
        assertEquals(1, c.numBeams());
        assertEquals(50, c.topK());
        assertEquals(1.0, c.topP());
        assertEquals(GenerationConfig.EarlyStopping.FALSE, c.earlyStopping());
        // Without max_new_tokens, max_length bounds the whole sequence, prompt included.
        assertEquals(19, c.newTokenLimit(1));
        assertEquals(16, c.newTokenLimit(4));
        assertEquals(12, c.toBuilder().maxNewTokens(12).build().newTokenLimit(4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.newTokenLimit(20));
        assertTrue(e.getMessage().contains("maxLength"), e.getMessage());
        IllegalArgumentException min = assertThrows(IllegalArgumentException.class,
                () -> c.toBuilder().minNewTokens(18).build().newTokenLimit(4));
        assertTrue(min.getMessage().contains("minNewTokens"), min.getMessage());
    }

    @Test
    void readsGenerationConfigJson() throws Exception {
        ConfigNode json = new ConfigNode(new ObjectMapper().readTree(
                "{\"bos_token_id\": 30522, \"max_length\": 30, \"num_beams\": 3, \"early_stopping\": \"never\","
                        + " \"length_penalty\": 0.5}"), "generation_config.json");
        GenerationConfig c = GenerationConfig.fromJson(json);
        assertEquals(30, c.maxLength());
        assertEquals(3, c.numBeams());
        assertEquals(GenerationConfig.EarlyStopping.NEVER, c.earlyStopping());
        assertEquals(0.5, c.lengthPenalty());
        ConfigNode bool = new ConfigNode(new ObjectMapper().readTree("{\"early_stopping\": true}"), "g.json");
        assertEquals(GenerationConfig.EarlyStopping.TRUE, GenerationConfig.fromJson(bool).earlyStopping());
    }
}
