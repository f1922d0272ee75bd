package io.lakelens.models.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.BlockList;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.lakelens.models.nn.ModelBlock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Puts checkpoint tensors into a model's parameters by their Hugging Face names, strictly: every
 * parameter must be found with its exact shape and every tensor in the file must be used (or be
 * declared ignorable), and all problems are reported together before anything is allocated.
 *
 * <p>A parameter's name is the path of child block names from the root plus its own name, e.g.
 * {@code vision_model.encoder.layers.0.self_attn.q_proj.weight}; lakelens blocks are named after the
 * checkpoint, so this is the whole mapping.
 */
public final class ParameterBinder {

    private static final int MAX_LISTED = 12;

    /** A parameter with its checkpoint name and declared shape. */
    public record NamedParameter(String name, Parameter parameter, Shape shape) {}

    /**
     * How a checkpoint may differ from the model's own names.
     *
     * @param alternatives model name to another tensor name that may hold it (tied weights)
     * @param ignorable tensors in the file that the model does not use, e.g. {@code position_ids}
     */
    public record Rules(Map<String, String> alternatives, Predicate<String> ignorable) {
        public static Rules strict() {
            return new Rules(Map.of(), name -> false);
        }
    }

    private ParameterBinder() {}

    /** Every parameter of the tree under {@code root}, in block order, with its checkpoint name. */
    public static List<NamedParameter> parameters(Block root) {
        List<NamedParameter> out = new ArrayList<>();
        collect(root, "", out);
        return out;
    }

    private static void collect(Block block, String prefix, List<NamedParameter> out) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            if (!(block instanceof ModelBlock mb)) {
                throw new IllegalStateException(block.getClass() + " is not a lakelens ModelBlock");
            }
            out.add(new NamedParameter(prefix + p.getKey(), p.getValue(), mb.declaredShape(p.getValue())));
        }
        BlockList children = block.getChildren();
        for (int i = 0; i < children.size(); i++) {
            collect(children.get(i).getValue(), prefix + childName(children.get(i).getKey(), i) + ".", out);
        }
    }

    /** DJL stores children as {@code %02d<name>} with the 1-based position; undo that. */
    private static String childName(String stored, int index) {
        String prefix = String.format(Locale.ROOT, "%02d", index + 1);
        return stored.startsWith(prefix) ? stored.substring(prefix.length()) : stored;
    }

    /**
     * Checks the checkpoint against the model, then loads every parameter.
     *
     * @param root the model
     * @param weights the checkpoint tensors
     * @param manager owner of the new arrays (the model's manager)
     * @param dataType the parameters' type on the device (float32 on CPU)
     * @param rules tied weights and ignorable tensors
     * @throws CheckpointException listing every missing, unexpected and mis-shaped tensor
     */
    public static void load(Block root, StateDict weights, NDManager manager, DataType dataType, Rules rules) {
        List<NamedParameter> params = parameters(root);
        Map<NamedParameter, String> source = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        List<String> misShaped = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        for (NamedParameter p : params) {
            String name = p.name();
            if (!weights.contains(name) && rules.alternatives().containsKey(name)
                    && weights.contains(rules.alternatives().get(name))) {
                name = rules.alternatives().get(name);
            }
            if (!weights.contains(name)) {
                missing.add(p.name() + " " + p.shape());
                continue;
            }
            used.add(name);
            TensorInfo info = weights.info(name);
            if (!Arrays.equals(info.shape(), p.shape().getShape())) {
                misShaped.add(name + ": checkpoint " + Arrays.toString(info.shape())
                        + ", model " + Arrays.toString(p.shape().getShape()));
                continue;
            }
            if (!info.dtype().equals("F32") && !info.dtype().equals("F16") && !info.dtype().equals("BF16")
                    && !info.dtype().equals("F64")) {
                misShaped.add(name + ": dtype " + info.dtype() + " is not floating point");
                continue;
            }
            source.put(p, name);
        }
        List<String> unexpected = new ArrayList<>();
        for (String name : weights.names()) {
            if (!used.contains(name) && !rules.alternatives().containsValue(name) && !rules.ignorable().test(name)) {
                unexpected.add(name);
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !misShaped.isEmpty()) {
            StringBuilder msg = new StringBuilder("checkpoint ")
                    .append(describeSource(weights)).append(" does not fit the model");
            appendList(msg, "missing", missing);
            appendList(msg, "unexpected", unexpected);
            appendList(msg, "wrong shape", misShaped);
            throw new CheckpointException(msg.toString());
        }
        for (Map.Entry<NamedParameter, String> e : source.entrySet()) {
            NamedParameter p = e.getKey();
            NDArray array = manager.create(weights.floats(e.getValue()), p.shape());
            if (dataType != DataType.FLOAT32) {
                NDArray cast = array.toType(dataType, false);
                array.close();
                array = cast;
            }
            p.parameter().setArray(array);
        }
        root.initialize(manager, dataType);
    }

    private static void appendList(StringBuilder msg, String what, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        msg.append("; ").append(items.size()).append(' ').append(what).append(": ");
        msg.append(String.join(", ", items.subList(0, Math.min(MAX_LISTED, items.size()))));
        if (items.size() > MAX_LISTED) {
            msg.append(", ... (").append(items.size() - MAX_LISTED).append(" more)");
        }
    }

    private static String describeSource(StateDict weights) {
        Set<Path> files = new TreeSet<>();
        weights.names().forEach(n -> files.add(weights.fileOf(n)));
        return files.size() == 1 ? files.iterator().next().toString()
                : files.iterator().next().getParent() + " (" + files.size() + " shards)";
    }

    /**
     * Fills every parameter with random values instead of a checkpoint: N(0, std^2) for weights and
     * embeddings, zeros for biases, ones for norm scales. For benchmarks at real sizes.
     */
    public static void initRandom(Block root, NDManager manager, DataType dataType, float std) {
        for (NamedParameter p : parameters(root)) {
            NDArray array;
            switch (p.parameter().getType()) {
                case BIAS:
                case BETA:
                    array = manager.zeros(p.shape(), dataType);
                    break;
                case GAMMA:
                    array = manager.ones(p.shape(), dataType);
                    break;
                default:
                    array = manager.randomNormal(0f, std, p.shape(), dataType);
            }
            p.parameter().setArray(array);
        }
        root.initialize(manager, dataType);
    }
}
