package io.lakelens.models.runtime;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The one place where lakelens configures DJL's PyTorch engine for this JVM.
 *
 * <p>The PyTorch natives come from {@code pytorch-native-cpu} and {@code pytorch-jni} on the
 * classpath, so DJL is told to stay offline: a missing native must be an error, never a download.
 * PyTorch's thread pools are process-wide, so the intra-op thread count is set once here, from the
 * cores the caller owns (a Spark task's {@code spark.task.cpus}, or the machine for a CLI run).
 */
public final class TorchRuntime {

    public static final String ENGINE = "PyTorch";

    private static volatile boolean started;

    private TorchRuntime() {}

    /**
     * Loads the engine (once per JVM) with the given intra-op thread count.
     *
     * @param intraOpThreads threads PyTorch may use inside one operator; 0 keeps PyTorch's default
     * @return the engine
     */
    public static synchronized Engine start(int intraOpThreads) {
        if (!started) {
            if (System.getProperty("ai.djl.offline") == null) {
                System.setProperty("ai.djl.offline", "true");
            }
            // DJL otherwise prints a notice about its graph optimizer on every start.
            System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
            if (intraOpThreads > 0) {
                System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(intraOpThreads));
                // One inter-op thread: lakelens runs operators one after another per batch.
                System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
            }
            Engine engine = Engine.getEngine(ENGINE);
            started = true;
            return engine;
        }
        if (intraOpThreads > 0 && JniUtils.getNumThreads() != intraOpThreads) {
            JniUtils.setNumThreads(intraOpThreads);
        }
        return Engine.getEngine(ENGINE);
    }

    /** Loads the engine with PyTorch's default thread count (one per core). */
    public static Engine start() {
        return start(0);
    }

    /** The intra-op thread count PyTorch uses now. */
    public static int intraOpThreads() {
        start();
        return JniUtils.getNumThreads();
    }

    /** A new root manager on the given device, for one model's weights. */
    public static NDManager newManager(ComputeDevice device) {
        return start().newBaseManager(device.djlDevice());
    }
}
