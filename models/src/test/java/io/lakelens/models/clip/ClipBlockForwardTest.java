package io.lakelens.models.clip;

import static io.lakelens.models.testing.Blocks.child;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.lakelens.models.runtime.ComputeDevice;
import io.lakelens.models.runtime.TorchRuntime;
import io.lakelens.models.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CLIP's blocks answer DJL's {@code forward(ps, NDList, training)} with what they compute inside
 * the model: the model's forward gives the embeddings of the array API, and the encoder is its
 * numbered layers' forwards composed.
 */
class ClipBlockForwardTest {

    @Test
    void modelAndEncoderForwardsAgreeWithTheInferencePath() {
        TorchRuntime.start(1);
        try (ClipEmbedder clip = ClipEmbedder.load(Fixtures.clipTiny(), ComputeDevice.cpu());
                NDManager m = clip.model().manager().newSubManager()) {
            ClipModel model = clip.model();
            ParameterStore ps = new ParameterStore(m, false);
            String image = ClipGolden.imageNames().get(0);
            int s = model.config().vision().imageSize();
            float[] pixels = ClipGolden.pixelValues(image);
            long[] ids = clip.processor().tokenize("a photo of a cat");

            NDList out = model.forward(ps, new NDList(m.create(pixels, new Shape(1, 3, s, s)),
                    m.create(ids, new Shape(1, ids.length))), false);
            assertEquals(2, out.size());
            ClipGolden.assertClose(clip.embedImages(pixels, 1)[0],
                    ClipEmbedder.normalizeRows(new float[][] {out.get(0).toFloatArray()})[0], 1e-6, "image features");
            ClipGolden.assertClose(clip.embedTexts(List.of("a photo of a cat"))[0],
                    ClipEmbedder.normalizeRows(new float[][] {out.get(1).toFloatArray()})[0], 1e-6, "text features");

            // The vision encoder: its layers' forwards, one after another, on [B, T, D].
            Block encoder = child(child(model, "vision_model"), "encoder");
            NDArray x = m.randomNormal(new Shape(2, model.config().vision().numPositions(),
                    model.config().vision().hiddenSize()));
            NDArray whole = encoder.forward(ps, new NDList(x), false).singletonOrThrow();
            NDArray layered = x;
            for (int l = 0; l < model.config().vision().numHiddenLayers(); l++) {
                layered = child(encoder, "layers." + l).forward(ps, new NDList(layered), false).singletonOrThrow();
            }
            assertEquals(whole.getShape(), layered.getShape());
            ClipGolden.assertClose(whole.toFloatArray(), layered.toFloatArray(), 1e-5, "encoder = its layers");
        }
    }
}
