package io.lakelens.models.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * Where a model runs and in which precision: {@code cpu}, {@code cuda:N} or {@code auto} (the first
 * GPU if PyTorch sees one, else CPU). Float32 on CPU; float16 on GPU by default, or bfloat16 when
 * asked (bfloat16 casts on CPU abort the JVM in DJL 0.35.1, so CPU never uses it).
 */
public record ComputeDevice(Device djlDevice, DataType dataType) {

    /**
     * Parses a device spec.
     *
     * @param spec {@code cpu}, {@code cuda}, {@code cuda:N}, {@code gpu:N} or {@code auto}
     * @param precision {@code auto}, {@code float32}, {@code float16} or {@code bfloat16}
     * @return the device
     * @throws IllegalArgumentException naming the bad spec
     */
    public static ComputeDevice parse(String spec, String precision) {
        String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
        Device device;
        if (s.equals("auto")) {
            Engine engine = TorchRuntime.start();
            device = engine.getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
        } else if (s.equals("cpu")) {
            device = Device.cpu();
        } else if (s.matches("(cuda|gpu)(:\\d+)?")) {
            int index = s.contains(":") ? Integer.parseInt(s.substring(s.indexOf(':') + 1)) : 0;
            int gpus = TorchRuntime.start().getGpuCount();
            if (index >= gpus) {
                throw new IllegalArgumentException(
                        "device '" + spec + "' is not available: PyTorch sees " + gpus + " GPU(s)");
            }
            device = Device.gpu(index);
        } else {
            throw new IllegalArgumentException(
                    "unknown device '" + spec + "': use cpu, cuda:N or auto");
        }
        return new ComputeDevice(device, dataTypeFor(device, precision));
    }

    /** CPU in float32. */
    public static ComputeDevice cpu() {
        return new ComputeDevice(Device.cpu(), DataType.FLOAT32);
    }

    private static DataType dataTypeFor(Device device, String precision) {
        String p = precision == null ? "auto" : precision.trim().toLowerCase(Locale.ROOT);
        boolean gpu = device.isGpu();
        switch (p) {
            case "auto":
                return gpu ? DataType.FLOAT16 : DataType.FLOAT32;
            case "float32":
            case "fp32":
                return DataType.FLOAT32;
            case "float16":
            case "fp16":
                return DataType.FLOAT16;
            case "bfloat16":
            case "bf16":
                if (!gpu) {
                    throw new IllegalArgumentException(
                            "bfloat16 is only supported on GPU (DJL's PyTorch engine aborts on CPU"
                                    + " bfloat16 casts); use float32 on CPU");
                }
                return DataType.BFLOAT16;
            default:
                throw new IllegalArgumentException(
                        "unknown precision '" + precision + "': use auto, float32, float16 or bfloat16");
        }
    }

    public boolean isGpu() {
        return djlDevice.isGpu();
    }

    @Override
    public String toString() {
        return (djlDevice.isGpu() ? "cuda:" + djlDevice.getDeviceId() : "cpu")
                + "/" + dataType.name().toLowerCase(Locale.ROOT);
    }
}
