package io.lakelens.models.checkpoint;

import java.util.Arrays;

/**
 * One tensor's entry in a safetensors header.
 *
 * @param name the parameter name, e.g. {@code vision_model.embeddings.class_embedding}
 * @param dtype the safetensors dtype: F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL
 * @param shape the shape
 * @param begin first byte of the data, relative to the end of the header
 * @param end one past the last byte
 */
public record TensorInfo(String name, String dtype, long[] shape, long begin, long end) {

    /** Number of elements. */
    public long numel() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Bytes per element of a safetensors dtype, or -1 for an unknown one. */
    public static int bytesPerElement(String dtype) {
        switch (dtype) {
            case "F64":
            case "I64":
            case "U64":
                return 8;
            case "F32":
            case "I32":
            case "U32":
                return 4;
            case "F16":
            case "BF16":
            case "I16":
            case "U16":
                return 2;
            case "I8":
            case "U8":
            case "BOOL":
                return 1;
            default:
                return -1;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t
                && name.equals(t.name)
                && dtype.equals(t.dtype)
                && Arrays.equals(shape, t.shape)
                && begin == t.begin
                && end == t.end;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
