package io.lakelens.eval.captions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Expected values are what NumPy returns for the same arrays. */
class NumpyMeanTest {

  private static double[] bigThenOnes(int ones) {
    double[] values = new double[ones + 1];
    Arrays.fill(values, 1.0);
    values[0] = 1e16;
    return values;
  }

  @Test
  void unrolledBlockSumsLikeNumpy() {
    // np.sum(np.array([1e16] + [1.0]*8)) == 1.0000000000000008e16; a left-to-right sum gives 1e16
    assertEquals(1.0000000000000008e16, NumpyMean.pairwiseSum(bigThenOnes(8), 0, 9));
  }

  @Test
  void recursiveSplitSumsLikeNumpy() {
    // np.mean(np.array([1e16] + [1.0]*300)) == 33222591362127.215
    assertEquals(33222591362127.215, NumpyMean.mean(bigThenOnes(300)));
  }

  @Test
  void smallArraysSumLeftToRight() {
    assertEquals(2.3333333333333335, NumpyMean.mean(new double[] {1, 2, 4}));
    assertTrue(Double.isNaN(NumpyMean.mean(new double[0])));
  }
}
