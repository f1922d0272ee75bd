package io.lakelens.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Back-propagation on the current thread without DJL's {@code GradientCollector}, which allows only
 * one collector in the whole JVM at a time and so cannot serve one thread per device. PyTorch's
 * gradient mode is per thread; like {@link NoGradient} this class speaks to the engine.
 */
final class Autograd implements AutoCloseable {

    private final boolean previous;

    /** Turns gradient recording on for this thread until {@link #close}. */
    Autograd() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
    }

    /** {@code scalar.backward()}: accumulates d scalar / d leaf into every leaf's gradient. */
    static void backward(NDArray scalar) {
        try (NDArray ones = scalar.onesLike()) {
            JniUtils.backward((PtNDArray) scalar, (PtNDArray) ones, false, false);
        }
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
