package io.lakelens.models.clip;

import io.lakelens.models.checkpoint.CheckpointException;
import io.lakelens.models.checkpoint.ConfigNode;

/**
 * The text tower's sizes, as Hugging Face's {@code CLIPTextConfig}. Defaults are that class's
 * defaults, because {@code save_pretrained} leaves out every field equal to its default.
 *
 * @param vocabSize rows of the token embedding
 * @param hiddenSize width of the residual stream
 * @param intermediateSize width of the MLP
 * @param numHiddenLayers encoder layers
 * @param numAttentionHeads heads per layer; divides {@code hiddenSize}
 * @param maxPositionEmbeddings the longest input, special tokens included (77 for every CLIP)
 * @param hiddenAct MLP activation ({@code quick_gelu} for OpenAI's CLIPs)
 * @param layerNormEps epsilon of every layer norm
 * @param bosTokenId id of {@code <|startoftext|>} in the model config
 * @param eosTokenId decides the pooling position, see {@link #poolsAtArgmax()}
 * @param padTokenId the model config's pad id (unused by the model; the tokenizer pads)
 */
public record ClipTextConfig(
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int maxPositionEmbeddings,
        String hiddenAct,
        double layerNormEps,
        int bosTokenId,
        int eosTokenId,
        int padTokenId) implements ClipEncoderConfig {

    /** Reads {@code text_config}; missing fields take {@code CLIPTextConfig}'s defaults. */
    public static ClipTextConfig from(ConfigNode node) {
        ClipTextConfig c = new ClipTextConfig(
                node.intOr("vocab_size", 49408),
                node.intOr("hidden_size", 512),
                node.intOr("intermediate_size", 2048),
                node.intOr("num_hidden_layers", 12),
                node.intOr("num_attention_heads", 8),
                node.intOr("max_position_embeddings", 77),
                node.stringOr("hidden_act", "quick_gelu"),
                node.doubleOr("layer_norm_eps", 1e-5),
                node.intOr("bos_token_id", 49406),
                node.intOr("eos_token_id", 49407),
                node.intOr("pad_token_id", 1));
        c.validate(node.where());
        return c;
    }

    /** Width of one attention head. */
    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    /**
     * Whether the pooled output is taken at {@code argmax(input_ids)} rather than at the first
     * {@code eos_token_id}. Transformers keeps the argmax rule for configs that say {@code
     * eos_token_id == 2} (all OpenAI checkpoints, written before the field was fixed); there the
     * real EOS, 49407, is the largest id of the vocabulary.
     */
    public boolean poolsAtArgmax() {
        return eosTokenId == 2;
    }

    void validate(String where) {
        ClipConfig.requirePositive(where, "vocab_size", vocabSize);
        ClipConfig.requirePositive(where, "hidden_size", hiddenSize);
        ClipConfig.requirePositive(where, "intermediate_size", intermediateSize);
        ClipConfig.requirePositive(where, "num_hidden_layers", numHiddenLayers);
        ClipConfig.requirePositive(where, "num_attention_heads", numAttentionHeads);
        ClipConfig.requireDivisible(where, "hidden_size", hiddenSize, "num_attention_heads", numAttentionHeads);
        if (maxPositionEmbeddings < 2) {
            throw new CheckpointException(where + ": \"max_position_embeddings\" is " + maxPositionEmbeddings
                    + "; CLIP needs room for at least <|startoftext|> and <|endoftext|>");
        }
        if (!poolsAtArgmax() && (eosTokenId < 0 || eosTokenId >= vocabSize)) {
            throw new CheckpointException(where + ": \"eos_token_id\" " + eosTokenId
                    + " is outside the vocabulary (vocab_size " + vocabSize + ")");
        }
        ClipConfig.requireActivation(where, hiddenAct);
        ClipConfig.requirePositive(where, "layer_norm_eps", layerNormEps);
    }
}
