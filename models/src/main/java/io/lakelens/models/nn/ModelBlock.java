package io.lakelens.models.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Base of every lakelens layer: a DJL {@link AbstractBlock} (so DJL's autograd, parameter store and
 * optimizers train it) whose parameter shapes are known from the model config when it is built.
 *
 * <p>Knowing the shapes up front lets the checkpoint loader compare every tensor against the model
 * before a single weight is allocated. DJL's {@code Parameter} only accepts either a shape or an
 * array, never both, so the declared shapes live here beside the parameters.
 */
public abstract class ModelBlock extends AbstractBlock {

    private final Map<Parameter, Shape> declaredShapes = new IdentityHashMap<>();

    /**
     * Declares a parameter named as in the checkpoint.
     *
     * @param name the checkpoint's name for it inside this block, e.g. {@code weight}
     * @param type DJL's parameter kind (decides optimizer treatment such as weight decay)
     * @param shape its shape
     * @return the parameter
     */
    protected final Parameter param(String name, Parameter.Type type, long... shape) {
        // Loaded models are frozen: inference must not build autograd graphs. The trainer unfreezes
        // (Parameter.freeze(false)) exactly the parameters it trains.
        Parameter p = addParameter(
                Parameter.builder().setName(name).setType(type).optRequiresGrad(false).build());
        declaredShapes.put(p, new Shape(shape));
        return p;
    }

    /** Registers a child under the name the checkpoint uses for it, e.g. {@code self_attn}. */
    protected final <B extends Block> B child(String name, B block) {
        return addChildBlock(name, block);
    }

    /** The shape this block expects for one of its own parameters. */
    public final Shape declaredShape(Parameter parameter) {
        Shape s = declaredShapes.get(parameter);
        if (s == null) {
            throw new IllegalArgumentException(parameter.getName() + " is not a parameter of " + this);
        }
        return s;
    }

    /** Parameters are set by the checkpoint loader; initialising only marks the tree as ready. */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block child : getChildren().values()) {
            child.initialize(manager, dataType, inputShapes);
        }
    }

    /** lakelens blocks are called with explicit tensors; shape inference is not used. */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        throw new UnsupportedOperationException(
                getClass().getSimpleName() + " takes its shapes from the model config");
    }
}
