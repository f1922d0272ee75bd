package io.lakelens.models.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakelens.models.checkpoint.CheckpointException;
import io.lakelens.models.checkpoint.CheckpointFolder;
import io.lakelens.models.testing.Fixtures;
import org.junit.jupiter.api.Test;

class ClipConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ClipConfig parse(String json) throws Exception {
        return ClipConfig.fromJson(JSON.readTree(json), "test/config.json");
    }

    @Test
    void clipTinyMatchesTheResolvedConfig() {
        ClipConfig c = ClipConfig.of(CheckpointFolder.open(Fixtures.clipTiny()));
        JsonNode resolved = ClipGolden.root().get("resolved_config");
        JsonNode t = resolved.get("text_config");
        JsonNode v = resolved.get("vision_config");
        assertEquals(resolved.get("projection_dim").asInt(), c.projectionDim());
        assertEquals(resolved.get("logit_scale_init_value").asDouble(), c.logitScaleInitValue());
        assertEquals(t.get("vocab_size").asInt(), c.text().vocabSize());
        assertEquals(t.get("hidden_size").asInt(), c.text().hiddenSize());
        assertEquals(t.get("intermediate_size").asInt(), c.text().intermediateSize());
        assertEquals(t.get("num_hidden_layers").asInt(), c.text().numHiddenLayers());
        assertEquals(t.get("num_attention_heads").asInt(), c.text().numAttentionHeads());
        assertEquals(t.get("max_position_embeddings").asInt(), c.text().maxPositionEmbeddings());
        assertEquals(t.get("hidden_act").asText(), c.text().hiddenAct());
        assertEquals(t.get("layer_norm_eps").asDouble(), c.text().layerNormEps());
        assertEquals(t.get("bos_token_id").asInt(), c.text().bosTokenId());
        assertEquals(t.get("eos_token_id").asInt(), c.text().eosTokenId());
        // pad_token_id is omitted from config.json (it equals the default, 1).
        assertEquals(t.get("pad_token_id").asInt(), c.text().padTokenId());
        assertTrue(c.text().poolsAtArgmax());
        assertEquals(v.get("hidden_size").asInt(), c.vision().hiddenSize());
        assertEquals(v.get("intermediate_size").asInt(), c.vision().intermediateSize());
        assertEquals(v.get("num_hidden_layers").asInt(), c.vision().numHiddenLayers());
        assertEquals(v.get("num_attention_heads").asInt(), c.vision().numAttentionHeads());
        assertEquals(v.get("image_size").asInt(), c.vision().imageSize());
        assertEquals(v.get("patch_size").asInt(), c.vision().patchSize());
        assertEquals(v.get("num_channels").asInt(), c.vision().numChannels());
        assertEquals(v.get("hidden_act").asText(), c.vision().hiddenAct());
        assertEquals(v.get("layer_norm_eps").asDouble(), c.vision().layerNormEps());
        assertEquals(17, c.vision().numPositions());
    }

    @Test
    void omittedFieldsTakeTransformersDefaults() throws Exception {
        ClipConfig c = parse("{\"model_type\": \"clip\"}");
        assertEquals(new ClipTextConfig(49408, 512, 2048, 12, 8, 77, "quick_gelu", 1e-5, 49406, 49407, 1), c.text());
        assertEquals(new ClipVisionConfig(768, 3072, 12, 12, 3, 224, 32, "quick_gelu", 1e-5), c.vision());
        assertEquals(512, c.projectionDim());
        assertEquals(2.6592, c.logitScaleInitValue());
        assertFalse(c.text().poolsAtArgmax(), "default eos_token_id 49407 pools at the first EOS");
        assertEquals(50, c.vision().numPositions());
    }

    @Test
    void legacyConfigDictsOverrideTheirSections() throws Exception {
        ClipConfig c = parse("{\"text_config\": {\"hidden_size\": 64, \"num_attention_heads\": 4},"
                + " \"text_config_dict\": {\"hidden_size\": 128},"
                + " \"vision_config_dict\": {\"patch_size\": 16, \"image_size\": 224}}");
        assertEquals(128, c.text().hiddenSize());
        assertEquals(4, c.text().numAttentionHeads());
        assertEquals(16, c.vision().patchSize());
        assertEquals(197, c.vision().numPositions());
    }

    @Test
    void inconsistentSizesAreReportedWithFileAndField() {
        CheckpointException heads = assertThrows(CheckpointException.class,
                () -> parse("{\"text_config\": {\"hidden_size\": 30, \"num_attention_heads\": 4}}"));
        assertTrue(heads.getMessage().contains("test/config.json.text_config"), heads.getMessage());
        assertTrue(heads.getMessage().contains("hidden_size") && heads.getMessage().contains("num_attention_heads"),
                heads.getMessage());

        CheckpointException patch = assertThrows(CheckpointException.class,
                () -> parse("{\"vision_config\": {\"image_size\": 30, \"patch_size\": 8}}"));
        assertTrue(patch.getMessage().contains("vision_config") && patch.getMessage().contains("patch_size"),
                patch.getMessage());

        CheckpointException act = assertThrows(CheckpointException.class,
                () -> parse("{\"vision_config\": {\"hidden_act\": \"swish\"}}"));
        assertTrue(act.getMessage().contains("hidden_act") && act.getMessage().contains("swish"), act.getMessage());

        CheckpointException type = assertThrows(CheckpointException.class,
                () -> parse("{\"text_config\": {\"num_hidden_layers\": \"two\"}}"));
        assertTrue(type.getMessage().contains("num_hidden_layers"), type.getMessage());

        CheckpointException zero = assertThrows(CheckpointException.class,
                () -> parse("{\"projection_dim\": 0}"));
        assertTrue(zero.getMessage().contains("projection_dim"), zero.getMessage());
    }

    @Test
    void blipConfigIsRejectedNamingFileAndModelType() {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> ClipConfig.of(CheckpointFolder.open(Fixtures.blipTiny())));
        assertTrue(e.getMessage().contains("config.json"), e.getMessage());
        assertTrue(e.getMessage().contains("model_type") && e.getMessage().contains("'blip'"), e.getMessage());
    }
}
