package io.lakelens.jobs.sql;

import org.apache.spark.sql.catalyst.util.ArrayData;

/**
 * The vector SQL functions {@code cosine_similarity}, {@code dot_product} and {@code l2_normalize},
 * called by Spark (through {@code StaticInvoke}) on its own array representation.
 *
 * <p>Rules, the same for every function:
 *
 * <ul>
 *   <li>A NULL array, or an array with a NULL element, gives NULL.
 *   <li>Arrays of different lengths are an error naming the function and both lengths.
 *   <li>Sums are accumulated in double whatever the element type.
 *   <li>{@code cosine_similarity} of a zero (or empty) vector is NULL: it has no direction;
 *       {@code dot_product} of two empty arrays is 0.0; {@code l2_normalize} of a zero (or empty)
 *       vector is NULL.
 * </ul>
 *
 * <p>The float and double forms are separate methods so that the common case, two {@code
 * array<float>} embeddings, reads the elements without conversion.
 */
public final class VectorFunctions {

    private VectorFunctions() {}

    // ------------------------------------------------------------------ Spark entry points

    public static Double cosineSimilarityFloat(ArrayData a, ArrayData b) {
        if (hasNull(a) || hasNull(b)) {
            return null;
        }
        return nanToNull(cosine(a.toFloatArray(), b.toFloatArray(), "cosine_similarity"));
    }

    public static Double cosineSimilarityDouble(ArrayData a, ArrayData b) {
        if (hasNull(a) || hasNull(b)) {
            return null;
        }
        return nanToNull(cosine(a.toDoubleArray(), b.toDoubleArray(), "cosine_similarity"));
    }

    public static Double dotProductFloat(ArrayData a, ArrayData b) {
        if (hasNull(a) || hasNull(b)) {
            return null;
        }
        return dot(a.toFloatArray(), b.toFloatArray(), "dot_product");
    }

    public static Double dotProductDouble(ArrayData a, ArrayData b) {
        if (hasNull(a) || hasNull(b)) {
            return null;
        }
        return dot(a.toDoubleArray(), b.toDoubleArray(), "dot_product");
    }

    public static ArrayData l2NormalizeFloat(ArrayData a) {
        if (hasNull(a)) {
            return null;
        }
        float[] out = normalize(a.toFloatArray());
        return out == null ? null : ArrayData.toArrayData(out);
    }

    public static ArrayData l2NormalizeDouble(ArrayData a) {
        if (hasNull(a)) {
            return null;
        }
        double[] out = normalize(a.toDoubleArray());
        return out == null ? null : ArrayData.toArrayData(out);
    }

    // ------------------------------------------------------------------ the math, on Java arrays

    /** Cosine of the angle between a and b; NaN if either has zero norm. */
    public static double cosine(float[] a, float[] b, String function) {
        requireSameLength(a.length, b.length, function);
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? Double.NaN : dot / (Math.sqrt(na) * Math.sqrt(nb));
    }

    public static double cosine(double[] a, double[] b, String function) {
        requireSameLength(a.length, b.length, function);
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? Double.NaN : dot / (Math.sqrt(na) * Math.sqrt(nb));
    }

    public static double dot(float[] a, float[] b, String function) {
        requireSameLength(a.length, b.length, function);
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
        }
        return dot;
    }

    public static double dot(double[] a, double[] b, String function) {
        requireSameLength(a.length, b.length, function);
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }

    /** a / |a|, or null if |a| is zero (including the empty array). */
    public static float[] normalize(float[] a) {
        double sq = 0;
        for (float v : a) {
            sq += (double) v * v;
        }
        if (sq == 0) {
            return null;
        }
        double norm = Math.sqrt(sq);
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) (a[i] / norm);
        }
        return out;
    }

    public static double[] normalize(double[] a) {
        double sq = 0;
        for (double v : a) {
            sq += v * v;
        }
        if (sq == 0) {
            return null;
        }
        double norm = Math.sqrt(sq);
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] / norm;
        }
        return out;
    }

    private static void requireSameLength(int a, int b, String function) {
        if (a != b) {
            throw new IllegalArgumentException(function + ": the arrays have different lengths (" + a + " and " + b
                    + "); embeddings of different models or dimensions cannot be compared");
        }
    }

    private static boolean hasNull(ArrayData a) {
        if (a == null) {
            return true;
        }
        for (int i = 0; i < a.numElements(); i++) {
            if (a.isNullAt(i)) {
                return true;
            }
        }
        return false;
    }

    private static Double nanToNull(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
