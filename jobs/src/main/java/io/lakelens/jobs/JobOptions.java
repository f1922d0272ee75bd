package io.lakelens.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The options several commands share, defined once: their defaults, their checks and their help
 * text. Each job's options object calls these checks when it is built (from the CLI or from
 * spark-submit arguments), so {@code --device} or {@code --batch-size} mean and accept the same
 * everywhere. A bad value is an {@link IllegalArgumentException} naming the option; the CLI turns it
 * into a usage error before Spark starts.
 */
public final class JobOptions {

    /** {@code --device} when none is given: the GPU Spark assigned to the task, else CPU. */
    public static final String DEFAULT_DEVICE = "auto";

    /** The largest {@code --batch-size} (a batch is one buffer of pixels). */
    public static final int MAX_BATCH_SIZE = 4096;

    public static final String DATASET_HELP = "Dataset name, as given to `lakelens ingest --dataset`.";
    public static final String MODEL_HELP = "Model: a local folder in Hugging Face layout (config.json,"
            + " model.safetensors, preprocessor_config.json, tokenizer.json) or a Hub id, downloaded into the cache.";
    public static final String DEVICE_HELP = "Where the model runs: auto (the GPU Spark assigned to the task,"
            + " else CPU), cpu, or cuda:N (default: " + DEFAULT_DEVICE + ").";
    public static final String BATCH_SIZE_HELP = "Inputs per model call, 1 to " + MAX_BATCH_SIZE
            + " (default: ${DEFAULT-VALUE}).";

    private static final Pattern DEVICE = Pattern.compile("auto|cpu|(cuda|gpu)(:\\d+)?");
    private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9_.\\-]+");

    private JobOptions() {}

    /** {@code --dataset}: letters, digits, '_', '-' and '.' (a name ingest accepts). */
    public static String dataset(String dataset) {
        if (dataset == null || !DATASET.matcher(dataset).matches()) {
            throw new IllegalArgumentException("--dataset '" + dataset + "': use letters, digits, '_', '-' and '.' only");
        }
        return dataset;
    }

    /** {@code --model} (or another model option): a non-blank folder or Hub id. */
    public static String model(String option, String model) {
        return nonBlank(option, model);
    }

    /** {@code --model}. */
    public static String model(String model) {
        return model("--model", model);
    }

    /** {@code --device}: {@code auto}, {@code cpu} or {@code cuda:N}; null is the default. */
    public static String device(String device) {
        if (device == null) {
            return DEFAULT_DEVICE;
        }
        String d = device.trim().toLowerCase(Locale.ROOT);
        if (!DEVICE.matcher(d).matches()) {
            throw new IllegalArgumentException("--device '" + device + "': use auto, cpu or cuda:N");
        }
        return d;
    }

    /**
     * {@code --device} of a command that may run on several devices (fine-tuning, data parallel): one
     * device, or a comma-separated list of them, each checked as {@link #device}.
     */
    public static List<String> devices(String devices) {
        List<String> out = new ArrayList<>();
        for (String one : (devices == null ? DEFAULT_DEVICE : devices).split(",", -1)) {
            if (one.isBlank()) {
                throw new IllegalArgumentException("--device '" + devices + "' has an empty entry: use e.g. cuda:0,cuda:1");
            }
            try {
                out.add(device(one));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--device '" + devices
                        + "': use cpu, auto, cuda:N, or a comma-separated list such as cuda:0,cuda:1");
            }
        }
        return List.copyOf(out);
    }

    /** {@code --batch-size}: 1 to {@link #MAX_BATCH_SIZE}. */
    public static int batchSize(int batchSize) {
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("--batch-size must be between 1 and " + MAX_BATCH_SIZE + ", is " + batchSize);
        }
        return batchSize;
    }

    /** A count that must be at least 1, e.g. {@code --chunk-size}, {@code --top-k}. */
    public static int atLeastOne(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, is " + value);
        }
        return value;
    }

    private static String nonBlank(String option, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(option + " is empty: give a value");
        }
        return value;
    }
}
