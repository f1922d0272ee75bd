package io.lakelens.eval.captions;

/**
 * {@code numpy.mean} of a float64 vector, summed the way NumPy's add-reduction does (pairwise
 * summation with an 8-way unrolled base case, {@code pairwise_sum_DOUBLE} in NumPy's
 * {@code loops_utils.h}). The reference averages ROUGE-L, CIDEr-D and CIDEr's per-order scores
 * with it; summing in this order keeps the last bits equal to the reference.
 */
final class NumpyMean {

  private static final int BLOCK = 128;

  private NumpyMean() {}

  /** Mean of the values; NaN for an empty array, as NumPy (which also warns). */
  static double mean(double[] values) {
    return (0.0 + pairwiseSum(values, 0, values.length)) / values.length;
  }

  static double pairwiseSum(double[] a, int from, int n) {
    if (n < 8) {
      double sum = 0.0;
      for (int i = 0; i < n; i++) {
        sum += a[from + i];
      }
      return sum;
    }
    if (n <= BLOCK) {
      double[] r = new double[8];
      System.arraycopy(a, from, r, 0, 8);
      int i = 8;
      for (; i < n - (n % 8); i += 8) {
        for (int j = 0; j < 8; j++) {
          r[j] += a[from + i + j];
        }
      }
      double sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
      for (; i < n; i++) {
        sum += a[from + i];
      }
      return sum;
    }
    int half = n / 2;
    half -= half % 8;
    return pairwiseSum(a, from, half) + pairwiseSum(a, from + half, n - half);
  }
}
