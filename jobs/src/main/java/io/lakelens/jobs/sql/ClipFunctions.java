package io.lakelens.jobs.sql;

import io.lakelens.jobs.JobOptions;
import io.lakelens.jobs.inference.ExecutorModels;
import io.lakelens.jobs.inference.ModelRef;
import io.lakelens.models.clip.ClipEmbedder;
import io.lakelens.models.image.ImageDecodeException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The model SQL functions {@code clip_text_embedding} and {@code clip_image_embedding}, called by
 * Spark (through {@code StaticInvoke}) on the driver or an executor. The model was resolved on the
 * driver when the query was analysed; here it is found again by the plain values of its {@link
 * ModelRef} and loaded once per JVM ({@link ExecutorModels}: the instance {@code lakelens embed} uses).
 *
 * <p>A NULL text or image gives NULL. Bytes that are not a decodable image are an error naming the
 * function. Outputs are L2-normalised {@code array<float>}, comparable with {@code
 * image_embeddings.embedding} of the same model.
 */
public final class ClipFunctions {

    private static final AtomicLong TEXTS_EMBEDDED = new AtomicLong();
    private static final AtomicLong IMAGES_EMBEDDED = new AtomicLong();

    private ClipFunctions() {}

    public static ArrayData textEmbedding(UTF8String text, UTF8String modelId, UTF8String driverPath, UTF8String shipped) {
        ModelRef ref = ref(modelId, driverPath, shipped);
        float[] embedding = ExecutorModels.clip(ref, JobOptions.DEFAULT_DEVICE).embedTexts(List.of(text.toString()))[0];
        TEXTS_EMBEDDED.incrementAndGet();
        return ArrayData.toArrayData(embedding);
    }

    public static ArrayData imageEmbedding(byte[] image, UTF8String modelId, UTF8String driverPath, UTF8String shipped) {
        ModelRef ref = ref(modelId, driverPath, shipped);
        ClipEmbedder clip = ExecutorModels.clip(ref, JobOptions.DEFAULT_DEVICE);
        float[] pixels;
        try {
            pixels = clip.processor().preprocess(image);
        } catch (ImageDecodeException e) {
            throw new IllegalArgumentException("clip_image_embedding: the bytes are not a decodable image ("
                    + e.reason().code() + ": " + e.getMessage() + ")", e);
        }
        float[] embedding = clip.embedImages(pixels, 1)[0];
        IMAGES_EMBEDDED.incrementAndGet();
        return ArrayData.toArrayData(embedding);
    }

    /** Texts embedded in this JVM so far; lets tests check a constant text is embedded once per query. */
    public static long textsEmbedded() {
        return TEXTS_EMBEDDED.get();
    }

    /** Images embedded in this JVM so far. */
    public static long imagesEmbedded() {
        return IMAGES_EMBEDDED.get();
    }

    private static ModelRef ref(UTF8String modelId, UTF8String driverPath, UTF8String shipped) {
        String s = shipped.toString();
        return ModelRef.of(modelId.toString(), modelId.toString(), driverPath.toString(), s.isEmpty() ? null : s);
    }
}
