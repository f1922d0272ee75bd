package io.lakelens.eval.retrieval;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Image↔text retrieval recall@K with several captions per image, as LAION's CLIP_benchmark
 * ({@code zeroshot_retrieval.py}) defines it.
 *
 * <p>Scores are {@code text_emb @ image_emb.T}: plain dot products, which are cosine similarities
 * because the rows are expected to be L2-normalised already (as CLIP_benchmark normalises them
 * before scoring). Text t belongs to image {@code textImage[t]}.
 * <ul>
 *   <li>text→image recall@K = fraction of texts whose own image is among the K best images;</li>
 *   <li>image→text recall@K = fraction of images with at least one of their texts among the K best
 *       texts. An image with no text is a miss (CLIP_benchmark computes 0/0 = NaN, and NaN &gt; 0
 *       is false).</li>
 * </ul>
 *
 * <p>Differences from CLIP_benchmark, all deliberate: dot products accumulate in double (it uses
 * float32 matmul, so candidates within float32 rounding of each other may swap); exact ties rank
 * the lower index first ({@code torch.topk} leaves it unspecified); K larger than the number of
 * candidates is clamped to it ({@code torch.topk} raises); recalls are exact ratios (it averages in
 * float32).
 *
 * <p>For data that does not fit one machine, fill {@link TopKAccumulator}s block by block, merge
 * them, and call {@link #fromTopK}.
 */
public final class RetrievalRecall {

  /** Candidates scored per block in {@link #compute}; bounds the working set, not the result. */
  private static final int BLOCK = 1024;

  private RetrievalRecall() {}

  /** CLIP_benchmark's default list of K. */
  public static final int[] DEFAULT_KS = {1, 5, 10};

  /**
   * Recall@K both ways for every K of {@code ks} (default {@link #DEFAULT_KS}).
   *
   * @param imageEmbeddings one L2-normalised row per image
   * @param textEmbeddings one L2-normalised row per text
   * @param textImage for each text, the index of its image
   */
  public static RetrievalResult compute(
      float[][] imageEmbeddings, float[][] textEmbeddings, int[] textImage, int... ks) {
    checkEmbeddings(imageEmbeddings, textEmbeddings);
    if (textImage.length != textEmbeddings.length) {
      throw new IllegalArgumentException("textImage has " + textImage.length + " entries for "
          + textEmbeddings.length + " texts");
    }
    int[] kList = kList(ks);
    int maxK = Arrays.stream(kList).max().getAsInt();
    TopKAccumulator textToImage = new TopKAccumulator(textEmbeddings.length, Math.max(1, Math.min(maxK, imageEmbeddings.length)));
    TopKAccumulator imageToText = new TopKAccumulator(imageEmbeddings.length, Math.max(1, Math.min(maxK, textEmbeddings.length)));
    for (int from = 0; from < imageEmbeddings.length; from += BLOCK) {
      float[][] block = Arrays.copyOfRange(imageEmbeddings, from, Math.min(from + BLOCK, imageEmbeddings.length));
      textToImage.offerBlock(0, textEmbeddings, from, block);
    }
    for (int from = 0; from < textEmbeddings.length; from += BLOCK) {
      float[][] block = Arrays.copyOfRange(textEmbeddings, from, Math.min(from + BLOCK, textEmbeddings.length));
      imageToText.offerBlock(0, imageEmbeddings, from, block);
    }
    return fromTopK(textToImage, imageToText, textImage, imageEmbeddings.length, kList);
  }

  /**
   * Recall@K from accumulated top lists: {@code textToImage} has one query per text over image
   * candidates, {@code imageToText} one query per image over text candidates, each with k at least
   * min(max K, number of candidates).
   */
  public static RetrievalResult fromTopK(TopKAccumulator textToImage, TopKAccumulator imageToText,
      int[] textImage, int numImages, int... ks) {
    int[] kList = kList(ks);
    int numTexts = textImage.length;
    if (textToImage.queries() != numTexts || imageToText.queries() != numImages) {
      throw new IllegalArgumentException("accumulators have " + textToImage.queries() + " text and "
          + imageToText.queries() + " image queries, expected " + numTexts + " and " + numImages);
    }
    for (int t = 0; t < numTexts; t++) {
      if (textImage[t] < 0 || textImage[t] >= numImages) {
        throw new IllegalArgumentException("text " + t + " belongs to image " + textImage[t]
            + ", outside 0.." + (numImages - 1));
      }
    }
    Map<Integer, Long> textHits = new HashMap<>();
    Map<Integer, Long> imageHits = new HashMap<>();
    for (int k : kList) {
      int kImages = Math.min(k, numImages);
      int kTexts = Math.min(k, numTexts);
      if (textToImage.k() < kImages || imageToText.k() < kTexts) {
        throw new IllegalArgumentException("recall@" + k + " needs top-" + Math.max(kImages, kTexts)
            + " lists, the accumulators keep " + textToImage.k() + " and " + imageToText.k());
      }
      long hits = 0;
      for (int t = 0; t < numTexts; t++) {
        int[] top = textToImage.topIndices(t);
        for (int r = 0; r < Math.min(kImages, top.length); r++) {
          if (top[r] == textImage[t]) {
            hits++;
            break;
          }
        }
      }
      textHits.put(k, hits);
      hits = 0;
      for (int i = 0; i < numImages; i++) {
        int[] top = imageToText.topIndices(i);
        for (int r = 0; r < Math.min(kTexts, top.length); r++) {
          if (textImage[top[r]] == i) {
            hits++;
            break;
          }
        }
      }
      imageHits.put(k, hits);
    }
    return new RetrievalResult(textHits, imageHits, numTexts, numImages);
  }

  /** Dot product of two float vectors, accumulated in double. */
  public static double dot(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("embedding sizes differ: " + a.length + " and " + b.length);
    }
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }

  private static int[] kList(int[] ks) {
    int[] list = ks == null || ks.length == 0 ? DEFAULT_KS : ks;
    for (int k : list) {
      if (k < 1) {
        throw new IllegalArgumentException("recall@K needs K >= 1, got " + k);
      }
    }
    return Arrays.stream(list).distinct().sorted().toArray();
  }

  private static void checkEmbeddings(float[][] images, float[][] texts) {
    if (images.length == 0 || texts.length == 0) {
      throw new IllegalArgumentException("need at least one image and one text, got "
          + images.length + " images and " + texts.length + " texts");
    }
    int dim = images[0].length;
    for (float[][] rows : new float[][][] {images, texts}) {
      for (float[] row : rows) {
        if (row.length != dim) {
          throw new IllegalArgumentException("embedding sizes differ: " + dim + " and " + row.length);
        }
      }
    }
  }
}
