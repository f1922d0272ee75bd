package io.lakelens.models.blip;

import io.lakelens.models.checkpoint.CheckpointException;
import io.lakelens.models.checkpoint.ConfigNode;

/**
 * {@code text_config} of a BLIP checkpoint: the BERT-style caption decoder. Defaults are those of
 * transformers' {@code BlipTextConfig} (note its 8 attention heads), used for fields the file omits.
 *
 * @param encoderHiddenSize width of the image states the cross-attention reads; always the vision
 *     width, as {@code BlipConfig} overwrites it (BLIP-large: 1024 against a text width of 768)
 * @param bosTokenId {@code [DEC]}, the decoder's start token (exists only in the model's vocabulary)
 * @param eosTokenId only used to build Hugging Face's dummy unconditional input, never to stop
 * @param sepTokenId {@code [SEP]}: what {@code generate} stops on
 */
public record BlipTextConfig(
        int vocabSize,
        int hiddenSize,
        int encoderHiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int maxPositionEmbeddings,
        String hiddenAct,
        double layerNormEps,
        int bosTokenId,
        int eosTokenId,
        int padTokenId,
        int sepTokenId,
        boolean tieWordEmbeddings) {

    /**
     * @param visionHiddenSize the vision width, which becomes {@code encoder_hidden_size}
     */
    public static BlipTextConfig from(ConfigNode c, int visionHiddenSize) {
        BlipTextConfig t = new BlipTextConfig(
                c.intOr("vocab_size", 30524),
                c.intOr("hidden_size", 768),
                visionHiddenSize,
                c.intOr("intermediate_size", 3072),
                c.intOr("num_hidden_layers", 12),
                c.intOr("num_attention_heads", 8),
                c.intOr("max_position_embeddings", 512),
                c.stringOr("hidden_act", "gelu"),
                c.doubleOr("layer_norm_eps", 1e-12),
                c.intOr("bos_token_id", 30522),
                c.intOr("eos_token_id", 2),
                c.intOr("pad_token_id", 0),
                c.intOr("sep_token_id", 102),
                c.boolOr("tie_word_embeddings", true));
        t.check(c.where());
        return t;
    }

    private void check(String where) {
        BlipConfig.requirePositive(where, "vocab_size", vocabSize);
        BlipConfig.requirePositive(where, "hidden_size", hiddenSize);
        BlipConfig.requirePositive(where, "intermediate_size", intermediateSize);
        BlipConfig.requirePositive(where, "num_hidden_layers", numHiddenLayers);
        BlipConfig.requirePositive(where, "num_attention_heads", numAttentionHeads);
        BlipConfig.requirePositive(where, "max_position_embeddings", maxPositionEmbeddings);
        if (hiddenSize % numAttentionHeads != 0) {
            throw new CheckpointException(where + ": hidden_size " + hiddenSize
                    + " is not a multiple of num_attention_heads " + numAttentionHeads);
        }
        for (int id : new int[] {bosTokenId, padTokenId, sepTokenId}) {
            if (id < 0 || id >= vocabSize) {
                throw new CheckpointException(where + ": token id " + id + " is outside vocab_size " + vocabSize);
            }
        }
    }
}
