package io.lakelens.models.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Small tensor helpers shared by the CLIP blocks. */
final class Tensors {

    private Tensors() {}

    /**
     * Moves an array derived from a parameter (a view or a reshape) to the manager of the batch
     * being computed. DJL attaches an op's result to its first operand's manager; for a parameter
     * that is the model's long-lived manager, where per-batch arrays would pile up.
     */
    static NDArray onManagerOf(NDArray batchArray, NDArray derived) {
        derived.attach(batchArray.getManager());
        return derived;
    }

    /**
     * The additive mask value for a dropped position: the most negative finite number of the type,
     * as transformers uses ({@code torch.finfo(dtype).min}).
     */
    static float maskMin(DataType type) {
        switch (type) {
            case FLOAT16:
                return -65504f;
            case BFLOAT16:
                return -3.3895314e38f;
            default:
                return -Float.MAX_VALUE;
        }
    }
}
