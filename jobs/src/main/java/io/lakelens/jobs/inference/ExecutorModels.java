package io.lakelens.jobs.inference;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One model instance per executor JVM, shared by all the tasks that executor runs (the pattern of
 * DJL's Spark extension): loading a checkpoint costs seconds and hundreds of MB, so it happens once
 * per JVM and key (model folder, device), not once per task or partition.
 */
public final class ExecutorModels {

    private static final Map<String, Object> MODELS = new ConcurrentHashMap<>();

    private ExecutorModels() {}

    /**
     * The model for {@code key}, loaded by {@code loader} on first use in this JVM.
     *
     * @param key identifies the checkpoint and device, e.g. {@code clip|/models/x|cpu}
     * @param loader loads it; called at most once per key (concurrent callers wait)
     */
    @SuppressWarnings("unchecked")
    public static <T> T get(String key, Supplier<T> loader) {
        return (T) MODELS.computeIfAbsent(key, k -> loader.get());
    }

    /** Models loaded in this JVM, for tests and diagnostics. */
    public static int loadedCount() {
        return MODELS.size();
    }
}
