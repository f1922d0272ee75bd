package io.lakelens.models.blip;

import static io.lakelens.models.testing.Blocks.child;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import io.lakelens.models.nn.Activations;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Every BLIP block answers DJL's {@code forward(ps, NDList, training)} with what it computes inside
 * the model: the captioning model's forward gives the golden logits, and each level of the decoder,
 * composed from its children's forwards, gives the level above's result.
 */
class BlipBlockForwardTest {

    private static BlipCaptioningModel model() {
        return BlipGolden.captioner().model();
    }

    private static JsonNode promptCase() {
        return BlipGolden.root().get("blip").get("first_step_logits");
    }

    @Test
    void captioningModelForwardGivesTheGoldenTeacherForcedLogits() {
        JsonNode golden = promptCase().get("prompt");
        long[] ids = Arrays.stream(BlipGolden.ints(golden.get("decoder_input_ids"))).asLongStream().toArray();
        int size = model().config().vision().imageSize();
        try (NDManager m = model().manager().newSubManager()) {
            ParameterStore ps = model().parameterStore(m);
            NDList out = model().forward(ps, new NDList(
                    m.create(BlipGolden.pixels(promptCase().get("image").asText()), new Shape(1, 3, size, size)),
                    m.create(ids, new Shape(1, ids.length))), false);
            assertEquals(new Shape(1, ids.length, 30524), out.singletonOrThrow().getShape());
            BlipForwardGoldenTest.assertClose(BlipGolden.floats(golden.get("logits_last_position")),
                    out.singletonOrThrow().get("0, -1, :").toFloatArray(), 1e-3, "forward logits");
        }
    }

    @Test
    void eachDecoderLevelIsItsChildrensForwardsComposed() {
        BlipTextDecoder decoder = model().textDecoder();
        BlipTextConfig c = decoder.config();
        long[] ids = Arrays.stream(BlipGolden.ints(promptCase().get("prompt").get("decoder_input_ids")))
                .asLongStream().toArray();
        int t = ids.length;
        try (NDManager m = model().manager().newSubManager()) {
            ParameterStore ps = model().parameterStore(m);
            NDArray states = new BlipGenerator(model()).encodeImages(ps, m,
                    BlipGolden.pixels(promptCase().get("image").asText()), 1);
            NDArray idArray = m.create(ids, new Shape(1, t));

            // text_decoder: bert then cls.predictions, against the decoder's own logits.
            Block bert = child(decoder, "bert");
            NDArray hidden = bert.forward(ps, new NDList(idArray, states), false).singletonOrThrow();
            NDArray table = ((BlipTextModel) bert).embeddings().wordEmbeddings().table(ps, hidden.getDevice(), false);
            NDArray viaHead = child(decoder, "cls.predictions").forward(ps, new NDList(hidden, table), false)
                    .singletonOrThrow();
            assertSame(decoder.forward(ps, new NDList(idArray, states), false).singletonOrThrow(), viaHead, "decoder");

            // bert: embeddings, then each layer's forward on whole sequences.
            NDArray x = ((BlipTextModel) bert).embeddings().forward(ps, idArray, 0, false);
            for (int l = 0; l < c.numHiddenLayers(); l++) {
                x = child(bert, "encoder.layer." + l).forward(ps, new NDList(x, states), false).singletonOrThrow();
            }
            assertSame(hidden, x, "bert");

            // A layer: attention (causal), crossattention, intermediate, output.
            Block layer = child(bert, "encoder.layer.0");
            NDArray in = ((BlipTextModel) bert).embeddings().forward(ps, idArray, 0, false);
            NDArray mask = BlipTextModel.causalMask(m, t, 0);
            NDArray a = child(layer, "attention").forward(ps, new NDList(in, mask), false).singletonOrThrow();
            NDArray cross = child(layer, "crossattention").forward(ps, new NDList(a, states), false).singletonOrThrow();
            NDArray inter = Activations.forName(c.hiddenAct()).apply(
                    child(layer, "intermediate.dense").forward(ps, new NDList(cross), false).singletonOrThrow());
            NDArray out = child(layer, "output").forward(ps, new NDList(inter, cross), false).singletonOrThrow();
            assertSame(layer.forward(ps, new NDList(in, states), false).singletonOrThrow(), out, "layer");

            // An attention block: its projections, then attention and the output sub-block.
            Block attention = child(layer, "crossattention");
            NDList qkv = child(attention, "self").forward(ps, new NDList(a, states), false);
            assertEquals(3, qkv.size());
            assertEquals(new Shape(1, t, c.hiddenSize()), qkv.get(0).getShape());
            assertEquals(new Shape(1, states.getShape().get(1), c.hiddenSize()), qkv.get(1).getShape());
            int heads = c.numAttentionHeads();
            NDArray context = io.lakelens.models.nn.Attention.mergeHeads(io.lakelens.models.nn.Attention.attend(
                    io.lakelens.models.nn.Attention.splitHeads(qkv.get(0), heads),
                    io.lakelens.models.nn.Attention.splitHeads(qkv.get(1), heads),
                    io.lakelens.models.nn.Attention.splitHeads(qkv.get(2), heads), null));
            NDArray viaOutput = child(attention, "output").forward(ps, new NDList(context, a), false).singletonOrThrow();
            assertSame(cross, viaOutput, "crossattention");
        }
    }

    private static void assertSame(NDArray expected, NDArray actual, String what) {
        assertEquals(expected.getShape(), actual.getShape(), what + " shape");
        BlipForwardGoldenTest.assertClose(expected.toFloatArray(), actual.toFloatArray(), 1e-5, what);
    }
}
