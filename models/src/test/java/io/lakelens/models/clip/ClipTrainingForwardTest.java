package io.lakelens.models.clip;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.lakelens.models.checkpoint.ParameterBinder;
import io.lakelens.models.runtime.ComputeDevice;
import io.lakelens.models.runtime.TorchRuntime;
import io.lakelens.models.testing.Fixtures;
import io.lakelens.models.text.ClipTokenizer;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The tensor-level forward can be trained: gradients reach every parameter through it. */
class ClipTrainingForwardTest {

    @Test
    void contrastiveLossBackpropagatesToEveryParameter() {
        TorchRuntime.start(1);
        try (ClipModel model = ClipModel.load(Fixtures.clipTiny(), ComputeDevice.cpu())) {
            List<ParameterBinder.NamedParameter> params = ParameterBinder.parameters(model);
            params.forEach(p -> p.parameter().freeze(false));
            List<String> names = ClipGolden.imageNames().subList(0, 2);
            int per = model.config().vision().pixelsPerImage();
            float[] pixels = new float[2 * per];
            for (int i = 0; i < 2; i++) {
                System.arraycopy(ClipGolden.pixelValues(names.get(i)), 0, pixels, i * per, per);
            }
            ClipTokenizer.Batch texts;
            try (ClipProcessor processor = ClipProcessor.load(Fixtures.clipTiny())) {
                texts = processor.tokenize(List.of("a photo of a cat", "a diagram"));
            }
            int s = model.config().vision().imageSize();

            try (NDManager batch = model.manager().newSubManager();
                    GradientCollector collector = Engine.getEngine(TorchRuntime.ENGINE).newGradientCollector()) {
                ParameterStore ps = new ParameterStore(batch, false);
                Shape textShape = new Shape(2, texts.paddedLength());
                NDArray image = model.imageFeatures(ps, batch.create(pixels, new Shape(2, 3, s, s)), true);
                NDArray text = model.textFeatures(ps,
                        batch.create(java.util.Arrays.stream(texts.inputIds()).flatMapToLong(java.util.Arrays::stream)
                                .toArray(), textShape),
                        batch.create(java.util.Arrays.stream(texts.attentionMask())
                                .flatMapToLong(java.util.Arrays::stream).toArray(), textShape),
                        true);
                NDArray scale = ps.getValue(model.logitScaleParameter(), batch.getDevice(), true).exp();
                NDArray logits = image.normalize(2, -1).matMul(text.normalize(2, -1).transpose()).mul(scale);
                // CLIP's symmetric cross-entropy with the matching pairs on the diagonal.
                NDArray loss = logits.logSoftmax(1).mul(batch.eye(2)).sum().add(
                        logits.logSoftmax(0).mul(batch.eye(2)).sum()).neg().div(4);
                assertTrue(Float.isFinite(loss.getFloat()), "loss " + loss);
                collector.backward(loss);
            }
            Map<String, Float> gradientNorms = params.stream().collect(Collectors.toMap(
                    ParameterBinder.NamedParameter::name,
                    p -> p.parameter().getArray().getGradient().abs().sum().getFloat()));
            List<String> without = gradientNorms.entrySet().stream()
                    .filter(e -> !(e.getValue() > 0)).map(Map.Entry::getKey).toList();
            // Only the rows of tokens absent from both texts get no gradient, and the embedding
            // tables still have some; every parameter must be reached.
            assertTrue(without.isEmpty(), "parameters without gradient: " + without);
        }
    }
}
