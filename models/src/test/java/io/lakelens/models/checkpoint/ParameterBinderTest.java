package io.lakelens.models.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lakelens.models.nn.LayerNormLayer;
import io.lakelens.models.nn.LinearLayer;
import io.lakelens.models.nn.ModelBlock;
import io.lakelens.models.runtime.TorchRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParameterBinderTest {

    /** encoder.layers.{0,1}.fc (Linear 3->2) and a final_norm (LayerNorm 2). */
    static final class Toy extends ModelBlock {
        Toy() {
            Layers layers = new Layers();
            Encoder encoder = new Encoder(layers);
            child("encoder", encoder);
            child("final_norm", new LayerNormLayer(2, 1e-5));
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            return in;
        }
    }

    static final class Encoder extends ModelBlock {
        Encoder(Layers layers) {
            child("layers", layers);
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            return in;
        }
    }

    static final class Layers extends ModelBlock {
        Layers() {
            for (int i = 0; i < 2; i++) {
                child(Integer.toString(i), new Fc());
            }
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            return in;
        }
    }

    static final class Fc extends ModelBlock {
        Fc() {
            child("fc", new LinearLayer(3, 2, true));
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            return in;
        }
    }

    @Test
    void namesFollowTheCheckpointConvention() {
        List<String> names = ParameterBinder.parameters(new Toy()).stream().map(ParameterBinder.NamedParameter::name).toList();
        assertEquals(List.of(
                "encoder.layers.0.fc.weight", "encoder.layers.0.fc.bias",
                "encoder.layers.1.fc.weight", "encoder.layers.1.fc.bias",
                "final_norm.weight", "final_norm.bias"), names);
    }

    @Test
    void loadsEveryParameterWhenTheCheckpointFits(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter w = new SafetensorsWriter();
        for (int i = 0; i < 2; i++) {
            w.put("encoder.layers." + i + ".fc.weight", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, i});
            w.put("encoder.layers." + i + ".fc.bias", new long[] {2}, new float[] {i, -i});
        }
        w.put("final_norm.weight", new long[] {2}, new float[] {1, 1});
        w.put("final_norm.bias", new long[] {2}, new float[] {0, 0});
        w.put("encoder.position_ids", new long[] {1}, new float[] {0});
        w.write(file);
        Toy toy = new Toy();
        try (NDManager m = TorchRuntime.start().newBaseManager()) {
            ParameterBinder.load(toy, StateDict.ofFile(file), m, DataType.FLOAT32,
                    new ParameterBinder.Rules(Map.of(), n -> n.endsWith("position_ids")));
            assertTrue(toy.isInitialized());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 1},
                    ParameterBinder.parameters(toy).get(2).parameter().getArray().toFloatArray());
        }
    }

    @Test
    void reportsMissingUnexpectedAndMisShapedTogether(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.safetensors");
        new SafetensorsWriter()
                .put("encoder.layers.0.fc.weight", new long[] {3, 2}, new float[6])
                .put("encoder.layers.0.fc.bias", new long[] {2}, new float[2])
                .put("encoder.layers.1.fc.weight", new long[] {2, 3}, new float[6])
                .put("final_norm.weight", new long[] {2}, new float[2])
                .put("final_norm.bias", new long[] {2}, new float[2])
                .put("text_model.unknown", new long[] {1}, new float[1])
                .write(file);
        Toy toy = new Toy();
        try (NDManager m = TorchRuntime.start().newBaseManager()) {
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> ParameterBinder.load(toy, StateDict.ofFile(file), m, DataType.FLOAT32, ParameterBinder.Rules.strict()));
            String msg = e.getMessage();
            assertTrue(msg.contains(file.toString()), msg);
            assertTrue(msg.contains("1 missing: encoder.layers.1.fc.bias (2)"), msg);
            assertTrue(msg.contains("1 unexpected: text_model.unknown"), msg);
            assertTrue(msg.contains("1 wrong shape: encoder.layers.0.fc.weight: checkpoint [3, 2], model [2, 3]"), msg);
            assertFalse(toy.isInitialized(), "nothing may be loaded when the checkpoint does not fit");
        }
    }

    @Test
    void tiedWeightsMayComeFromAnotherName(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter w = new SafetensorsWriter();
        for (int i = 0; i < 2; i++) {
            w.put("encoder.layers." + i + ".fc.weight", new long[] {2, 3}, new float[6]);
            w.put("encoder.layers." + i + ".fc.bias", new long[] {2}, new float[2]);
        }
        w.put("final_norm.weight", new long[] {2}, new float[] {3, 4});
        w.put("shared_norm", new long[] {2}, new float[] {5, 6});
        w.write(file);
        Toy toy = new Toy();
        try (NDManager m = TorchRuntime.start().newBaseManager()) {
            ParameterBinder.load(toy, StateDict.ofFile(file), m, DataType.FLOAT32,
                    new ParameterBinder.Rules(Map.of("final_norm.bias", "shared_norm"), n -> false));
            assertArrayEquals(new float[] {5, 6}, ParameterBinder.parameters(toy).get(5).parameter().getArray().toFloatArray());
        }
    }
}
