package io.lakelens.jobs.inference;

import io.lakelens.models.blip.BlipCaptioner;
import io.lakelens.models.clip.ClipEmbedder;
import io.lakelens.models.clip.ClipProcessor;
import io.lakelens.models.runtime.ComputeDevice;
import io.lakelens.models.runtime.TorchRuntime;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The model bundles of this JVM (an executor, or the driver in local mode), shared by all the tasks
 * it runs and by the SQL functions (the pattern of DJL's Spark extension): loading a checkpoint costs
 * seconds and hundreds of MB, so it happens once per JVM and (folder, device), not once per task or
 * partition. Every job, SQL function and executor-side scorer gets its models here.
 */
public final class ExecutorModels {

    private static final Map<String, Object> MODELS = new ConcurrentHashMap<>();

    private ExecutorModels() {}

    /**
     * The CLIP model (network and processor) of {@code ref} on the device this task should use.
     *
     * @param requestedDevice the job's {@code --device}; a GPU Spark assigned to the task wins
     */
    public static ClipEmbedder clip(ModelRef ref, String requestedDevice) {
        TorchRuntime.start(TaskDevice.cpusForCurrentTask());
        String device = TaskDevice.forCurrentTask(requestedDevice);
        Path folder = ref.localFolder();
        return get("clip|" + folder + "|" + device, () -> ClipEmbedder.load(folder, ComputeDevice.parse(device, "auto")));
    }

    /** The CLIP processor alone (image processor and tokenizer), for work that runs no network. */
    public static ClipProcessor clipProcessor(ModelRef ref) {
        Path folder = ref.localFolder();
        return get("clip-processor|" + folder, () -> ClipProcessor.load(folder));
    }

    /** The BLIP captioner (network and processor) of {@code ref} on the device this task should use. */
    public static BlipCaptioner blip(ModelRef ref, String requestedDevice) {
        TorchRuntime.start(TaskDevice.cpusForCurrentTask());
        String device = TaskDevice.forCurrentTask(requestedDevice);
        Path folder = ref.localFolder();
        return get("blip|" + folder + "|" + device, () -> BlipCaptioner.load(folder, ComputeDevice.parse(device, "auto")));
    }

    /** Loads at most once per key (concurrent callers wait). */
    @SuppressWarnings("unchecked")
    private static <T> T get(String key, Supplier<T> loader) {
        return (T) MODELS.computeIfAbsent(key, k -> loader.get());
    }

    /** Models loaded in this JVM, for tests and diagnostics. */
    public static int loadedCount() {
        return MODELS.size();
    }
}
