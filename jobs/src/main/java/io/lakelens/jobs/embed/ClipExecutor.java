package io.lakelens.jobs.embed;

import io.lakelens.jobs.inference.ExecutorModels;
import io.lakelens.jobs.inference.ModelRef;
import io.lakelens.jobs.inference.TaskDevice;
import io.lakelens.models.clip.ClipModel;
import io.lakelens.models.image.ImagePreprocessor;
import io.lakelens.models.runtime.ComputeDevice;
import io.lakelens.models.runtime.TorchRuntime;
import java.nio.file.Path;

/** The CLIP model and its image preprocessor of this executor JVM, loaded once and shared by tasks. */
public final class ClipExecutor {

    private ClipExecutor() {}

    public static ClipModel model(ModelRef ref, String requestedDevice) {
        TorchRuntime.start(TaskDevice.cpusForCurrentTask());
        String device = TaskDevice.forCurrentTask(requestedDevice);
        Path folder = ref.localFolder();
        return ExecutorModels.get("clip|" + folder + "|" + device,
                () -> ClipModel.load(folder, ComputeDevice.parse(device, "auto")));
    }

    public static ImagePreprocessor preprocessor(ModelRef ref) {
        Path folder = ref.localFolder();
        return ExecutorModels.get("clip-preprocessor|" + folder,
                () -> ImagePreprocessor.fromConfig(folder.resolve("preprocessor_config.json")));
    }
}
