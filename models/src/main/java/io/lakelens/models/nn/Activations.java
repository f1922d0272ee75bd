package io.lakelens.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.Locale;
import java.util.function.UnaryOperator;

/** The activations Hugging Face configs name in {@code hidden_act}. */
public final class Activations {

    private Activations() {}

    /**
     * The function for a {@code hidden_act} value.
     *
     * @param name {@code quick_gelu}, {@code gelu} (exact, erf), {@code gelu_new}/{@code
     *     gelu_pytorch_tanh} (tanh approximation), {@code relu}
     * @return the activation
     * @throws IllegalArgumentException for any other name
     */
    public static UnaryOperator<NDArray> forName(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "quick_gelu":
                // CLIP's original activation: x * sigmoid(1.702 x).
                return x -> x.mul(Activation.sigmoid(x.mul(1.702f)));
            case "gelu":
                return Activation::gelu;
            case "gelu_new":
            case "gelu_pytorch_tanh":
            case "gelu_fast":
                return Activations::geluTanh;
            case "relu":
                return Activation::relu;
            default:
                throw new IllegalArgumentException(
                        "unsupported hidden_act '" + name + "' (supported: quick_gelu, gelu, gelu_new, relu)");
        }
    }

    /** 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
    private static NDArray geluTanh(NDArray x) {
        NDArray inner = x.add(x.pow(3).mul(0.044715f)).mul((float) Math.sqrt(2 / Math.PI));
        return x.mul(0.5f).mul(inner.tanh().add(1f));
    }
}
