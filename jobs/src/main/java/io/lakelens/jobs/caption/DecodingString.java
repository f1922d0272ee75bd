package io.lakelens.jobs.caption;

import io.lakelens.models.generation.GenerationConfig;
import java.util.Locale;

/**
 * The canonical text of decoding options stored in {@code generated_captions.decoding}: the same
 * options always give the same string, so a rerun with them finds its earlier rows, and different
 * options (another beam width, another seed) are kept apart.
 */
final class DecodingString {

    private DecodingString() {}

    static String of(GenerationConfig c) {
        StringBuilder sb = new StringBuilder(c.doSample() ? "sample" : c.numBeams() > 1 ? "beam" : "greedy");
        if (c.maxNewTokens() != GenerationConfig.UNSET) {
            sb.append(",max_new_tokens=").append(c.maxNewTokens());
        } else {
            sb.append(",max_length=").append(c.maxLength());
        }
        if (c.minNewTokens() > 0) {
            sb.append(",min_new_tokens=").append(c.minNewTokens());
        }
        if (c.numBeams() > 1) {
            sb.append(",num_beams=").append(c.numBeams())
                    .append(",length_penalty=").append(num(c.lengthPenalty()))
                    .append(",early_stopping=").append(c.earlyStopping().name().toLowerCase(Locale.ROOT));
        }
        if (c.doSample()) {
            sb.append(",temperature=").append(num(c.temperature()))
                    .append(",top_k=").append(c.topK())
                    .append(",top_p=").append(num(c.topP()))
                    .append(",seed=").append(c.seed());
        }
        if (c.repetitionPenalty() != 1.0) {
            sb.append(",repetition_penalty=").append(num(c.repetitionPenalty()));
        }
        if (c.noRepeatNgramSize() > 0) {
            sb.append(",no_repeat_ngram_size=").append(c.noRepeatNgramSize());
        }
        if (c.prompt() != null && !c.prompt().isEmpty()) {
            sb.append(",prompt=").append(c.prompt().replace("\\", "\\\\").replace(",", "\\,"));
        }
        return sb.toString();
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.format(Locale.ROOT, "%.1f", v) : Double.toString(v);
    }
}
