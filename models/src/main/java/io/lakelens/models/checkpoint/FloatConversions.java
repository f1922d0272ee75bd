package io.lakelens.models.checkpoint;

import java.nio.ByteBuffer;

/**
 * Little-endian tensor bytes to float32. Half-precision conversions are done here, in Java, because
 * DJL 0.35.1's PyTorch engine aborts the JVM when casting bfloat16 on CPU.
 */
final class FloatConversions {

    private FloatConversions() {}

    static float[] toFloat32(ByteBuffer raw, String dtype, int count, String what) {
        float[] out = new float[count];
        switch (dtype) {
            case "F32":
                raw.asFloatBuffer().get(out);
                break;
            case "F64":
                for (int i = 0; i < count; i++) {
                    out[i] = (float) raw.getDouble(i * 8);
                }
                break;
            case "BF16":
                for (int i = 0; i < count; i++) {
                    out[i] = Float.intBitsToFloat((raw.getShort(i * 2) & 0xffff) << 16);
                }
                break;
            case "F16":
                for (int i = 0; i < count; i++) {
                    out[i] = halfToFloat(raw.getShort(i * 2));
                }
                break;
            default:
                throw new CheckpointException(what + " has dtype " + dtype + ", expected a floating-point type");
        }
        return out;
    }

    /** IEEE 754 binary16 to binary32, subnormals, infinities and NaN included. */
    static float halfToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            if (mantissa == 0) {
                return Float.intBitsToFloat(sign);
            }
            // Subnormal half: value = mantissa * 2^-24, exact in float32.
            float value = mantissa * 0x1p-24f;
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
