package io.lakelens.eval.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetrievalRecallTest {

  /**
   * Images at 0° and 90°; texts 0 and 1 belong to image 0, text 2 to image 1.
   * Text 0 (10°) is closest to image 0: hit. Text 1 (80°) is closest to image 1: miss at K=1.
   * Text 2 (60°) is closest to image 1: hit. Text→image R@1 = 2/3.
   * Image 0's best text is text 0 (cos 10°): hit. Image 1's best text is text 1 (cos 10°), which
   * belongs to image 0: miss. Image→text R@1 = 1/2; at K=2 image 1 also finds text 2: 1.
   */
  @Test
  void handExample() {
    float[][] images = {unit(0), unit(90)};
    float[][] texts = {unit(10), unit(80), unit(60)};
    RetrievalResult r = RetrievalRecall.compute(images, texts, new int[] {0, 0, 1}, 1, 2);
    assertEquals(2.0 / 3.0, r.textToImageRecall(1));
    assertEquals(1.0, r.textToImageRecall(2));
    assertEquals(0.5, r.imageToTextRecall(1));
    assertEquals(1.0, r.imageToTextRecall(2));
    assertEquals(List.of("image_retrieval_recall@1", "text_retrieval_recall@1",
        "image_retrieval_recall@2", "text_retrieval_recall@2"), List.copyOf(r.clipBenchmarkMetrics().keySet()));
  }

  @Test
  void imageWithoutTextIsAMissAndLargeKIsClamped() {
    float[][] images = {unit(0), unit(45), unit(90)};
    float[][] texts = {unit(0), unit(90)};
    RetrievalResult r = RetrievalRecall.compute(images, texts, new int[] {0, 2}, 1, 5, 10);
    assertEquals(2.0 / 3.0, r.imageToTextRecall(10));  // image 1 has no text
    assertEquals(1.0, r.textToImageRecall(10));  // K = 10 > 3 images: clamped to 3
    assertEquals(1.0, r.textToImageRecall(1));
  }

  @Test
  void blockwiseEqualsBruteForceOnRandomEmbeddings() {
    Random random = new Random(20240601L);
    int numImages = 53;
    int numTexts = 5 * numImages - 7;
    float[][] images = randomUnitRows(random, numImages, 24);
    float[][] texts = randomUnitRows(random, numTexts, 24);
    int[] textImage = new int[numTexts];
    for (int t = 0; t < numTexts; t++) {
      textImage[t] = t % numImages;
    }
    int[] ks = {1, 5, 10, 20};

    RetrievalResult direct = RetrievalRecall.compute(images, texts, textImage, ks);
    RetrievalResult brute = bruteForce(images, texts, textImage, ks);
    assertEquals(brute, direct);

    // Uneven blocks in both directions, merged in shuffled order.
    TopKAccumulator textToImage = blockwise(texts, images, 20, random);
    TopKAccumulator imageToText = blockwise(images, texts, 20, random);
    assertEquals(brute, RetrievalRecall.fromTopK(textToImage, imageToText, textImage, numImages, ks));
    for (int t = 0; t < numTexts; t++) {
      assertArrayEquals(sortedCandidates(texts[t], images, 20), textToImage.topIndices(t), "text " + t);
    }
  }

  @Test
  void exactTiesRankLowerIndexFirstWhateverTheBlocks() {
    float[][] same = new float[7][];
    for (int i = 0; i < same.length; i++) {
      same[i] = unit(30);
    }
    float[][] query = {unit(30)};
    TopKAccumulator forward = new TopKAccumulator(1, 3);
    forward.offerBlock(0, query, 0, same);
    TopKAccumulator backward = new TopKAccumulator(1, 3);
    for (int i = same.length - 1; i >= 0; i--) {
      TopKAccumulator one = new TopKAccumulator(1, 3);
      one.offerBlock(0, query, i, new float[][] {same[i]});
      backward.merge(one);
    }
    assertArrayEquals(new int[] {0, 1, 2}, forward.topIndices(0));
    assertArrayEquals(new int[] {0, 1, 2}, backward.topIndices(0));
  }

  @Test
  void accumulatorSurvivesSerialization() throws IOException, ClassNotFoundException {
    TopKAccumulator acc = new TopKAccumulator(2, 2);
    acc.offer(0, 0.5, 3);
    acc.offer(0, 0.9, 1);
    acc.offer(1, -0.2, 0);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(acc);
    }
    TopKAccumulator copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (TopKAccumulator) in.readObject();
    }
    assertArrayEquals(new int[] {1, 3}, copy.topIndices(0));
    assertArrayEquals(new double[] {0.9, 0.5}, copy.topScores(0));
    assertArrayEquals(new int[] {0}, copy.topIndices(1));
  }

  @Test
  void badInputIsRejected() {
    float[][] images = {unit(0)};
    assertThrows(IllegalArgumentException.class,
        () -> RetrievalRecall.compute(images, new float[][] {unit(0)}, new int[] {1}));
    assertThrows(IllegalArgumentException.class,
        () -> RetrievalRecall.compute(images, new float[][] {unit(0)}, new int[] {0}, 0));
    assertThrows(IllegalArgumentException.class,
        () -> RetrievalRecall.compute(images, new float[][] {{1f, 0f, 0f}}, new int[] {0}));
    assertThrows(IllegalArgumentException.class, () -> new TopKAccumulator(1, 1).offer(0, Double.NaN, 0));
    assertThrows(IllegalArgumentException.class, () -> new TopKAccumulator(1, 2).merge(new TopKAccumulator(1, 3)));
  }

  // ---- an independent brute force: full sort of every score row ----

  private static RetrievalResult bruteForce(float[][] images, float[][] texts, int[] textImage, int[] ks) {
    java.util.Map<Integer, Long> textHits = new java.util.HashMap<>();
    java.util.Map<Integer, Long> imageHits = new java.util.HashMap<>();
    for (int k : ks) {
      long hits = 0;
      for (int t = 0; t < texts.length; t++) {
        int[] ranked = sortedCandidates(texts[t], images, images.length);
        for (int r = 0; r < Math.min(k, ranked.length); r++) {
          if (ranked[r] == textImage[t]) {
            hits++;
            break;
          }
        }
      }
      textHits.put(k, hits);
      hits = 0;
      for (int i = 0; i < images.length; i++) {
        int[] ranked = sortedCandidates(images[i], texts, texts.length);
        for (int r = 0; r < Math.min(k, ranked.length); r++) {
          if (textImage[ranked[r]] == i) {
            hits++;
            break;
          }
        }
      }
      imageHits.put(k, hits);
    }
    return new RetrievalResult(textHits, imageHits, texts.length, images.length);
  }

  private static int[] sortedCandidates(float[] query, float[][] candidates, int limit) {
    double[] scores = new double[candidates.length];
    for (int c = 0; c < candidates.length; c++) {
      scores[c] = RetrievalRecall.dot(query, candidates[c]);
    }
    return IntStream.range(0, candidates.length).boxed()
        .sorted(Comparator.<Integer>comparingDouble(c -> -scores[c]).thenComparingInt(c -> c))
        .limit(limit).mapToInt(Integer::intValue).toArray();
  }

  private static TopKAccumulator blockwise(float[][] queries, float[][] candidates, int k, Random random) {
    List<TopKAccumulator> parts = new ArrayList<>();
    int qFrom = 0;
    while (qFrom < queries.length) {
      int qTo = Math.min(queries.length, qFrom + 1 + random.nextInt(40));
      int cFrom = 0;
      while (cFrom < candidates.length) {
        int cTo = Math.min(candidates.length, cFrom + 1 + random.nextInt(30));
        TopKAccumulator part = new TopKAccumulator(queries.length, k);
        part.offerBlock(qFrom, java.util.Arrays.copyOfRange(queries, qFrom, qTo),
            cFrom, java.util.Arrays.copyOfRange(candidates, cFrom, cTo));
        parts.add(part);
        cFrom = cTo;
      }
      qFrom = qTo;
    }
    Collections.shuffle(parts, random);
    TopKAccumulator total = new TopKAccumulator(queries.length, k);
    parts.forEach(total::merge);
    return total;
  }

  private static float[][] randomUnitRows(Random random, int rows, int dim) {
    float[][] out = new float[rows][dim];
    for (float[] row : out) {
      double norm = 0;
      for (int d = 0; d < dim; d++) {
        row[d] = (float) random.nextGaussian();
        norm += row[d] * row[d];
      }
      for (int d = 0; d < dim; d++) {
        row[d] /= (float) Math.sqrt(norm);
      }
    }
    return out;
  }

  private static float[] unit(double degrees) {
    double radians = Math.toRadians(degrees);
    return new float[] {(float) Math.cos(radians), (float) Math.sin(radians)};
  }
}
