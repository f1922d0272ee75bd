package io.lakelens.jobs.caption;

import io.lakelens.jobs.inference.ExecutorModels;
import io.lakelens.jobs.inference.ModelRef;
import io.lakelens.jobs.inference.TaskDevice;
import io.lakelens.models.blip.BlipCaptioner;
import io.lakelens.models.image.ImagePreprocessor;
import io.lakelens.models.runtime.ComputeDevice;
import io.lakelens.models.runtime.TorchRuntime;
import java.nio.file.Path;

/** The BLIP captioner and its image preprocessor of this executor JVM, loaded once and shared by tasks. */
final class BlipExecutor {

    private BlipExecutor() {}

    static BlipCaptioner captioner(ModelRef ref, String requestedDevice) {
        TorchRuntime.start(TaskDevice.cpusForCurrentTask());
        String device = TaskDevice.forCurrentTask(requestedDevice);
        Path folder = ref.localFolder();
        return ExecutorModels.get("blip|" + folder + "|" + device,
                () -> BlipCaptioner.load(folder, ComputeDevice.parse(device, "auto")));
    }

    static ImagePreprocessor preprocessor(ModelRef ref) {
        Path folder = ref.localFolder();
        return ExecutorModels.get("blip-preprocessor|" + folder,
                () -> ImagePreprocessor.fromConfig(folder.resolve("preprocessor_config.json")));
    }
}
