package io.lakelens.jobs.inference;

import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * The device a Spark task should run its model on: the GPU Spark assigned to the task (through
 * {@code spark.task.resource.gpu.amount} and a discovery script), else the device the user asked
 * for, else CPU.
 */
public final class TaskDevice {

    private TaskDevice() {}

    /**
     * @param requested the job's {@code --device} ({@code auto}, {@code cpu}, {@code cuda:N})
     * @return a device spec for {@code ComputeDevice.parse}
     */
    public static String forCurrentTask(String requested) {
        TaskContext task = TaskContext.get();
        if (task != null && (requested == null || requested.equals("auto") || requested.startsWith("cuda"))) {
            scala.Option<ResourceInformation> gpu = task.resources().get("gpu");
            if (gpu.isDefined() && gpu.get().addresses().length > 0) {
                return "cuda:" + gpu.get().addresses()[0];
            }
            // No GPU assigned to this task: a cluster without GPU scheduling runs on CPU.
            if (requested == null || requested.equals("auto")) {
                return "cpu";
            }
        }
        return requested == null ? "auto" : requested;
    }

    /** CPU cores this task owns ({@code spark.task.cpus}), for PyTorch's intra-op threads. */
    public static int cpusForCurrentTask() {
        TaskContext task = TaskContext.get();
        return task == null ? Runtime.getRuntime().availableProcessors() : task.cpus();
    }
}
