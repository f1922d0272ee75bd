package io.lakelens.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import io.lakelens.finetune.TrainableParameters.Entry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter 2019), as PyTorch's {@code
 * torch.optim.AdamW} computes it, with decay only for the parameters whose {@link Entry#decays()} is
 * set. DJL 0.35.1 has an {@code AdamW} too, but it applies one weight decay to every parameter it
 * updates and keeps its state out of reach for checkpoints, so the update is written here in
 * NDArray operations:
 *
 * <pre>
 *   p ← p · (1 − lr·wd)                          (decaying parameters only)
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   p ← p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)
 * </pre>
 *
 * Parameters are updated in place, outside any gradient collector.
 */
public final class AdamW implements AutoCloseable {

    /**
     * @param beta1 first-moment decay (0.9)
     * @param beta2 second-moment decay (CLIP uses 0.98)
     * @param eps added to the denominator (CLIP uses 1e-6)
     * @param weightDecay decoupled decay coefficient (open_clip's default 0.2)
     */
    public record Settings(double beta1, double beta2, double eps, double weightDecay) {
        public Settings {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0) || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("AdamW needs 0 <= beta < 1, eps > 0 and weight decay >= 0, got "
                        + beta1 + ", " + beta2 + ", " + eps + ", " + weightDecay);
            }
        }

        /** CLIP's fine-tuning defaults (betas 0.9/0.98, eps 1e-6) with the given decay. */
        public static Settings clip(double weightDecay) {
            return new Settings(0.9, 0.98, 1e-6, weightDecay);
        }
    }

    private final List<Entry> entries;
    private final Settings settings;
    private final NDManager manager;
    private final NDArray[] firstMoment;
    private final NDArray[] secondMoment;
    private long steps;

    public AdamW(TrainableParameters parameters, Settings settings, NDManager parent) {
        this.entries = parameters.entries();
        this.settings = settings;
        this.manager = parent.newSubManager();
        this.firstMoment = new NDArray[entries.size()];
        this.secondMoment = new NDArray[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            NDArray p = entries.get(i).parameter().getArray();
            if (p.getDataType() != DataType.FLOAT32 && p.getDataType() != DataType.FLOAT64) {
                throw new IllegalArgumentException("training needs float32 parameters, "
                        + entries.get(i).name() + " is " + p.getDataType() + " (use --precision float32)");
            }
            firstMoment[i] = manager.zeros(p.getShape(), p.getDataType());
            secondMoment[i] = manager.zeros(p.getShape(), p.getDataType());
        }
    }

    /** One update of every parameter from its accumulated gradient. */
    public void step(double lr) {
        steps++;
        double bias1 = 1 - Math.pow(settings.beta1(), steps);
        double bias2Sqrt = Math.sqrt(1 - Math.pow(settings.beta2(), steps));
        try (NDScope scope = new NDScope()) {
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                NDArray p = e.parameter().getArray();
                NDArray g = p.getGradient();
                if (e.decays() && settings.weightDecay() > 0) {
                    p.muli(1 - lr * settings.weightDecay());
                }
                firstMoment[i].muli(settings.beta1()).addi(g.mul(1 - settings.beta1()));
                secondMoment[i].muli(settings.beta2()).addi(g.square().muli(1 - settings.beta2()));
                NDArray denominator = secondMoment[i].sqrt().divi(bias2Sqrt).addi(settings.eps());
                p.subi(firstMoment[i].div(denominator).muli(lr / bias1));
            }
        }
    }

    /** Optimizer steps taken (t in the bias corrections). */
    public long steps() {
        return steps;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * The state as named float arrays, PyTorch's names: {@code exp_avg.<param>} and {@code
     * exp_avg_sq.<param>}.
     */
    public Map<String, float[]> state() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            out.put("exp_avg." + entries.get(i).name(), floats(firstMoment[i]));
            out.put("exp_avg_sq." + entries.get(i).name(), floats(secondMoment[i]));
        }
        return out;
    }

    /** Shape of a state tensor: that of its parameter. */
    public long[] stateShape(String stateName) {
        String param = stateName.substring(stateName.indexOf('.') + 1);
        for (Entry e : entries) {
            if (e.name().equals(param)) {
                return e.parameter().getArray().getShape().getShape();
            }
        }
        throw new IllegalArgumentException("no trained parameter for optimizer state " + stateName);
    }

    /**
     * Restores {@link #state()} and the step count.
     *
     * @throws IllegalArgumentException if the state does not name exactly the trained parameters
     */
    public void restore(Map<String, float[]> state, long stepCount) {
        if (state.size() != 2 * entries.size()) {
            throw new IllegalArgumentException("optimizer state has " + state.size() + " tensors, expected "
                    + 2 * entries.size() + " (was the run started with other locking options?)");
        }
        for (int i = 0; i < entries.size(); i++) {
            set(firstMoment[i], state.get("exp_avg." + entries.get(i).name()), entries.get(i).name());
            set(secondMoment[i], state.get("exp_avg_sq." + entries.get(i).name()), entries.get(i).name());
        }
        this.steps = stepCount;
    }

    private static void set(NDArray target, float[] values, String name) {
        if (values == null || values.length != target.size()) {
            throw new IllegalArgumentException("optimizer state for " + name + " is missing or has the wrong size");
        }
        try (NDArray source = target.getManager().create(values, target.getShape())) {
            try (NDArray cast = source.toType(target.getDataType(), true)) {
                target.set(cast.toByteBuffer());
            }
        }
    }

    private static float[] floats(NDArray array) {
        if (array.getDataType() == DataType.FLOAT32) {
            return array.toFloatArray();
        }
        try (NDArray f = array.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
