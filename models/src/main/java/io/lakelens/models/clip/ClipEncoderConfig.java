package io.lakelens.models.clip;

/**
 * What the transformer shared by both towers is built from: the fields {@link ClipTextConfig} and
 * {@link ClipVisionConfig} have in common, as {@code CLIPEncoder(config)} in {@code modeling_clip.py}
 * takes either config.
 */
public interface ClipEncoderConfig {

    /** Width of the residual stream. */
    int hiddenSize();

    /** Width of the MLP. */
    int intermediateSize();

    /** Encoder layers. */
    int numHiddenLayers();

    /** Heads per layer; divides {@link #hiddenSize()}. */
    int numAttentionHeads();

    /** MLP activation, e.g. {@code quick_gelu}. */
    String hiddenAct();

    /** Epsilon of every layer norm. */
    double layerNormEps();
}
