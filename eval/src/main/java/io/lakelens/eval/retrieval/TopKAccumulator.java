package io.lakelens.eval.retrieval;

import java.io.Serializable;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The k best-scoring candidates of each query, fed block by block, so that a distributed job can
 * score one block of candidates (or queries) per task and {@link #merge} the partial results.
 *
 * <p>Order: higher score first; on an exactly equal score the lower candidate index first. That
 * makes the result independent of how candidates were split into blocks and of merge order (tested
 * against a full sort). {@code torch.topk}, which CLIP_benchmark uses, leaves the order of exact
 * ties unspecified, so only exact ties may rank differently from it.
 *
 * <p>Not thread-safe: use one accumulator per task and merge.
 */
public final class TopKAccumulator implements Serializable {

  private static final long serialVersionUID = 1L;

  private final int queries;
  private final int k;
  /** Per query a heap of at most k entries, the worst at position 0. */
  private final double[][] scores;
  private final int[][] indices;
  private final int[] sizes;

  public TopKAccumulator(int queries, int k) {
    if (queries < 0 || k < 1) {
      throw new IllegalArgumentException("need queries >= 0 and k >= 1, got " + queries + " and " + k);
    }
    this.queries = queries;
    this.k = k;
    this.scores = new double[queries][k];
    this.indices = new int[queries][k];
    this.sizes = new int[queries];
  }

  public int queries() {
    return queries;
  }

  public int k() {
    return k;
  }

  /**
   * Offers one candidate to one query.
   *
   * @throws IllegalArgumentException if the score is NaN (no meaningful rank)
   */
  public void offer(int query, double score, int candidateIndex) {
    if (Double.isNaN(score)) {
      throw new IllegalArgumentException("NaN score for query " + query + ", candidate " + candidateIndex);
    }
    double[] heapScores = scores[query];
    int[] heapIndices = indices[query];
    int size = sizes[query];
    if (size < k) {
      heapScores[size] = score;
      heapIndices[size] = candidateIndex;
      sizes[query] = size + 1;
      siftUp(heapScores, heapIndices, size);
    } else if (better(score, candidateIndex, heapScores[0], heapIndices[0])) {
      heapScores[0] = score;
      heapIndices[0] = candidateIndex;
      siftDown(heapScores, heapIndices, size, 0);
    }
  }

  /**
   * Scores a block of queries against a block of candidates by dot product
   * ({@link RetrievalRecall#dot}) and offers every pair.
   *
   * @param queryOffset index of {@code queryBlock[0]} among all queries
   * @param candidateOffset index of {@code candidateBlock[0]} among all candidates
   */
  public void offerBlock(int queryOffset, float[][] queryBlock, int candidateOffset, float[][] candidateBlock) {
    for (int q = 0; q < queryBlock.length; q++) {
      for (int c = 0; c < candidateBlock.length; c++) {
        offer(queryOffset + q, RetrievalRecall.dot(queryBlock[q], candidateBlock[c]), candidateOffset + c);
      }
    }
  }

  /** Adds everything {@code other} kept into this accumulator; returns this. */
  public TopKAccumulator merge(TopKAccumulator other) {
    if (other.queries != queries || other.k != k) {
      throw new IllegalArgumentException("cannot merge top-" + other.k + " of " + other.queries
          + " queries into top-" + k + " of " + queries);
    }
    for (int q = 0; q < queries; q++) {
      for (int i = 0; i < other.sizes[q]; i++) {
        offer(q, other.scores[q][i], other.indices[q][i]);
      }
    }
    return this;
  }

  /** The kept candidate indices of a query, best first (fewer than k if fewer were offered). */
  public int[] topIndices(int query) {
    int[] order = sortedPositions(query);
    int[] result = new int[order.length];
    for (int i = 0; i < order.length; i++) {
      result[i] = indices[query][order[i]];
    }
    return result;
  }

  /** The scores of {@link #topIndices}, in the same order. */
  public double[] topScores(int query) {
    int[] order = sortedPositions(query);
    double[] result = new double[order.length];
    for (int i = 0; i < order.length; i++) {
      result[i] = scores[query][order[i]];
    }
    return result;
  }

  private int[] sortedPositions(int query) {
    double[] s = scores[query];
    int[] idx = indices[query];
    return IntStream.range(0, sizes[query]).boxed()
        .sorted((a, b) -> better(s[a], idx[a], s[b], idx[b]) ? -1 : better(s[b], idx[b], s[a], idx[a]) ? 1 : 0)
        .mapToInt(Integer::intValue).toArray();
  }

  /** Whether (score, index) ranks before (otherScore, otherIndex). */
  static boolean better(double score, int index, double otherScore, int otherIndex) {
    return score > otherScore || (score == otherScore && index < otherIndex);
  }

  private static void siftUp(double[] s, int[] idx, int position) {
    while (position > 0) {
      int parent = (position - 1) / 2;
      if (!better(s[parent], idx[parent], s[position], idx[position])) {
        return;
      }
      swap(s, idx, parent, position);
      position = parent;
    }
  }

  private static void siftDown(double[] s, int[] idx, int size, int position) {
    while (true) {
      int worst = position;
      int left = 2 * position + 1;
      int right = left + 1;
      if (left < size && better(s[worst], idx[worst], s[left], idx[left])) {
        worst = left;
      }
      if (right < size && better(s[worst], idx[worst], s[right], idx[right])) {
        worst = right;
      }
      if (worst == position) {
        return;
      }
      swap(s, idx, position, worst);
      position = worst;
    }
  }

  private static void swap(double[] s, int[] idx, int a, int b) {
    double score = s[a];
    s[a] = s[b];
    s[b] = score;
    int index = idx[a];
    idx[a] = idx[b];
    idx[b] = index;
  }

  @Override
  public String toString() {
    return "TopKAccumulator[queries=" + queries + ", k=" + k + ", kept=" + Arrays.stream(sizes).sum() + "]";
  }
}
