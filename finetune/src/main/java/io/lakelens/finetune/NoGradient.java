package io.lakelens.finetune;

import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's {@code torch.no_grad()} for the current thread: operations inside build no autograd
 * graph even on parameters that require gradients. DJL has no engine-neutral way to say this
 * (its GradientCollector only turns gradient mode on, and leaves it on when it found it on, which
 * PyTorch's per-thread default is), so this one class speaks to the engine.
 */
final class NoGradient implements AutoCloseable {

    private final boolean previous;

    NoGradient() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
