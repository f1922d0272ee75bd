package io.lakelens.eval.clipscore;

/**
 * CLIPScore and RefCLIPScore (Hessel et al., 2021, "CLIPScore: A Reference-free Evaluation Metric
 * for Image Captioning"), from CLIP embeddings computed elsewhere.
 *
 * <pre>
 *   CLIP-S(c, v)       = w · max(cos(c, v), 0)                                 w = 2.5
 *   RefCLIP-S(c, R, v) = H-Mean( CLIP-S(c, v), max( max_{r∈R} cos(c, r), 0 ) )
 *   H-Mean(a, b)       = 2ab / (a + b),  and 0 when a + b = 0
 * </pre>
 *
 * where c is the candidate caption's text embedding, v the image embedding and R the reference
 * captions' text embeddings. The reference term is <b>not</b> multiplied by w, in the paper and in
 * its code ({@code get_refonlyclipscore} returns the raw maximum cosine). Choices to know about:
 * <ul>
 *   <li>the reference term is clipped at 0 as the paper's formula says; the authors' script does
 *       not clip it (it only matters when every reference has a negative cosine with the
 *       candidate, which CLIP text embeddings practically never do);</li>
 *   <li>H-Mean(0, 0) is 0 here, where the script would produce NaN;</li>
 *   <li>cosines are computed in double from the raw vectors (they need not be normalised); the
 *       script normalises in float32, so values can differ around the 7th digit.</li>
 * </ul>
 * Corpus values are the arithmetic means of the per-image values, as the script reports them.
 */
public final class ClipScore {

  /** The rescaling weight of the paper. */
  public static final double W = 2.5;

  private ClipScore() {}

  /** CLIP-S(c, v) = w · max(cos(c, v), 0). */
  public static double clipScore(float[] image, float[] candidate) {
    return W * Math.max(cosine(candidate, image), 0);
  }

  /** max(max_{r∈R} cos(c, r), 0), the reference term of RefCLIP-S. */
  public static double referenceTerm(float[] candidate, float[][] references) {
    if (references.length == 0) {
      throw new IllegalArgumentException("RefCLIPScore needs at least one reference");
    }
    double best = Double.NEGATIVE_INFINITY;
    for (float[] reference : references) {
      best = Math.max(best, cosine(candidate, reference));
    }
    return Math.max(best, 0);
  }

  /** RefCLIP-S(c, R, v): harmonic mean of CLIP-S and the reference term. */
  public static double refClipScore(float[] image, float[] candidate, float[][] references) {
    return harmonicMean(clipScore(image, candidate), referenceTerm(candidate, references));
  }

  /**
   * Per-image and mean scores of a corpus.
   *
   * @param images one image embedding per image
   * @param candidates the candidate caption's embedding per image
   * @param references the reference captions' embeddings per image, or null for CLIP-S only
   */
  public static ClipScores score(float[][] images, float[][] candidates, float[][][] references) {
    if (images.length != candidates.length || (references != null && references.length != images.length)) {
      throw new IllegalArgumentException("got " + images.length + " images, " + candidates.length
          + " candidates" + (references == null ? "" : " and " + references.length + " reference lists"));
    }
    double[] clip = new double[images.length];
    double[] refClip = references == null ? null : new double[images.length];
    for (int i = 0; i < images.length; i++) {
      clip[i] = clipScore(images[i], candidates[i]);
      if (refClip != null) {
        try {
          refClip[i] = harmonicMean(clip[i], referenceTerm(candidates[i], references[i]));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("image #" + i + ": " + e.getMessage(), e);
        }
      }
    }
    return new ClipScores(clip, refClip);
  }

  /** Cosine similarity in double. */
  public static double cosine(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("embedding sizes differ: " + a.length + " and " + b.length);
    }
    double dot = 0;
    double normA = 0;
    double normB = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      normA += (double) a[i] * a[i];
      normB += (double) b[i] * b[i];
    }
    if (normA == 0 || normB == 0) {
      throw new IllegalArgumentException("cosine of a zero vector is undefined");
    }
    return dot / (Math.sqrt(normA) * Math.sqrt(normB));
  }

  static double harmonicMean(double a, double b) {
    return a + b == 0 ? 0 : 2 * a * b / (a + b);
  }
}
