package io.lakelens.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.lakelens.models.checkpoint.ParameterBinder;
import io.lakelens.models.clip.ClipModel;
import io.lakelens.models.runtime.TorchRuntime;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ContrastiveLossTest {

    @Test
    void equalsTheSymmetricCrossEntropyComputedByHand() {
        double[][] image = {{1, 0, 2}, {0.5, -1, 0}, {0, 3, 1}};
        double[][] text = {{0.9, 0.1, 1.5}, {1, -1, 0.2}, {-0.3, 2, 2}};
        double logitScale = Math.log(20);
        try (NDManager m = TorchRuntime.start(1).newBaseManager()) {
            NDArray loss = ContrastiveLoss.compute(m.create(flat(image), new Shape(3, 3)),
                    m.create(flat(text), new Shape(3, 3)), m.create(logitScale));
            assertEquals(byHand(image, text, logitScale), loss.getDouble(), 1e-12);
            assertThrows(IllegalArgumentException.class, () -> ContrastiveLoss.compute(
                    m.create(flat(image), new Shape(3, 3)), m.create(new double[6], new Shape(2, 3)), m.create(1.0)));
        }
    }

    /** -(1/2B) Σ_i [log softmax_j(s·cos(I_i,T_j))_i + log softmax_j(s·cos(I_j,T_i))_i]. */
    private static double byHand(double[][] image, double[][] text, double logitScale) {
        int b = image.length;
        double[][] logits = new double[b][b];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                logits[i][j] = Math.exp(logitScale) * dot(image[i], text[j]) / Math.sqrt(dot(image[i], image[i]) * dot(text[j], text[j]));
            }
        }
        double sum = 0;
        for (int i = 0; i < b; i++) {
            double rowNorm = 0;
            double colNorm = 0;
            for (int j = 0; j < b; j++) {
                rowNorm += Math.exp(logits[i][j]);
                colNorm += Math.exp(logits[j][i]);
            }
            sum += (logits[i][i] - Math.log(rowNorm)) + (logits[i][i] - Math.log(colNorm));
        }
        return -sum / (2 * b);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }

    private static double[] flat(double[][] rows) {
        return java.util.Arrays.stream(rows).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    /**
     * The gradient through both towers of the tiny model matches central finite differences, in
     * float64, for parameters at the top, middle and bottom of each tower and for logit_scale.
     */
    @Test
    void gradientOfTheTinyModelPassesAFiniteDifferenceCheck() {
        try (ClipModel model = TinyPairs.loadFloat64()) {
            TrainingBatch batch = TinyPairs.firstPairs(model, 4);
            Map<String, Parameter> byName = ParameterBinder.parameters(model).stream().collect(
                    Collectors.toMap(ParameterBinder.NamedParameter::name, ParameterBinder.NamedParameter::parameter));
            List<String> checked = List.of("logit_scale", "visual_projection.weight", "text_projection.weight",
                    "vision_model.encoder.layers.0.self_attn.q_proj.weight",
                    "vision_model.embeddings.patch_embedding.weight", "vision_model.embeddings.class_embedding",
                    "text_model.encoder.layers.1.mlp.fc1.bias", "text_model.final_layer_norm.weight");
            try (ContrastiveTrainer trainer = new ContrastiveTrainer(model, TrainingConfig.defaults(), 1)) {
                trainer.accumulateGradients(batch);
                for (String name : checked) {
                    NDArray array = byName.get(name).getArray();
                    double[] analytic;
                    try (NDArray g = array.getGradient()) {
                        analytic = g.toType(DataType.FLOAT64, false).toDoubleArray();
                    }
                    for (int index : new int[] {0, (int) array.size() / 2, (int) array.size() - 1}) {
                        double h = 1e-5;
                        double original = get(array, index);
                        set(array, index, original + h);
                        double plus = trainer.loss(batch);
                        set(array, index, original - h);
                        double minus = trainer.loss(batch);
                        set(array, index, original);
                        double numeric = (plus - minus) / (2 * h);
                        assertEquals(numeric, analytic[index], 1e-6 + 1e-4 * Math.abs(numeric),
                                name + "[" + index + "]");
                    }
                }
            }
        }
    }

    private static double get(NDArray array, int index) {
        return array.toDoubleArray()[index];
    }

    private static void set(NDArray array, int index, double value) {
        double[] values = array.toDoubleArray();
        values[index] = value;
        array.set(java.nio.DoubleBuffer.wrap(values));
    }
}
