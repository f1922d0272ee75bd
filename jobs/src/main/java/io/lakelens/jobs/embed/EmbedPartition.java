package io.lakelens.jobs.embed;

import io.lakelens.jobs.inference.BatchIterator;
import io.lakelens.jobs.inference.ImageSource;
import io.lakelens.jobs.inference.ModelRef;
import io.lakelens.jobs.spark.HadoopConf;
import io.lakelens.models.clip.ClipModel;
import io.lakelens.models.image.ImageDecodeException;
import io.lakelens.models.image.ImagePreprocessor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;

/**
 * Executor side of {@code lakelens embed}: decodes and preprocesses images into one pixel buffer per
 * batch and embeds each batch with the executor's shared CLIP model. An image that cannot be decoded,
 * or that makes the model fail, becomes a quarantine row; the rest of its batch goes on.
 */
final class EmbedPartition implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    private final ModelRef model;
    private final String device;
    private final int batchSize;
    private final HadoopConf hadoopConf;
    private final LongAccumulator progress;

    EmbedPartition(ModelRef model, String device, int batchSize, HadoopConf hadoopConf, LongAccumulator progress) {
        this.model = model;
        this.device = device;
        this.batchSize = batchSize;
        this.hadoopConf = hadoopConf;
        this.progress = progress;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> images) {
        ClipModel clip = ClipExecutor.model(model, device);
        ImagePreprocessor preprocessor = ClipExecutor.preprocessor(model);
        int pixelsPerImage = clip.config().vision().pixelsPerImage();
        return new BatchIterator<Row, Row>(images, batchSize) {
            @Override
            protected List<Row> process(List<Row> batch) {
                List<Row> out = new ArrayList<>(batch.size());
                float[] pixels = new float[batch.size() * pixelsPerImage];
                List<Row> ready = new ArrayList<>(batch.size());
                for (Row image : batch) {
                    String imageId = image.getString(0);
                    String uri = image.getString(1);
                    try {
                        byte[] bytes = ImageSource.bytes((byte[]) image.get(2), uri, hadoopConf);
                        preprocessor.preprocessInto(bytes, pixels, ready.size() * pixelsPerImage);
                        ready.add(image);
                    } catch (ImageDecodeException e) {
                        out.add(failed(imageId, uri, "decode", e.reason().name(), e.getMessage()));
                    } catch (Exception e) {
                        out.add(failed(imageId, uri, "decode", "READ_ERROR", String.valueOf(e.getMessage())));
                    }
                }
                if (ready.size() < batch.size()) {
                    // The model takes exactly the images that decoded.
                    pixels = java.util.Arrays.copyOf(pixels, ready.size() * pixelsPerImage);
                }
                if (!ready.isEmpty()) {
                    out.addAll(embed(clip, ready, pixels, pixelsPerImage));
                }
                progress.add(batch.size());
                return out;
            }
        };
    }

    private static List<Row> embed(ClipModel clip, List<Row> ready, float[] pixels, int pixelsPerImage) {
        List<Row> out = new ArrayList<>(ready.size());
        try {
            float[][] embeddings = clip.embedImages(pixels, ready.size());
            for (int i = 0; i < ready.size(); i++) {
                out.add(done(ready.get(i), embeddings[i]));
            }
        } catch (RuntimeException batchFailure) {
            // Find the image(s) that break the model: embed one by one.
            for (int i = 0; i < ready.size(); i++) {
                float[] one = new float[pixelsPerImage];
                System.arraycopy(pixels, i * pixelsPerImage, one, 0, pixelsPerImage);
                try {
                    out.add(done(ready.get(i), clip.embedImages(one, 1)[0]));
                } catch (RuntimeException e) {
                    out.add(failed(ready.get(i).getString(0), ready.get(i).getString(1), "model", "MODEL_ERROR",
                            String.valueOf(e.getMessage())));
                }
            }
        }
        return out;
    }

    private static Row done(Row image, float[] embedding) {
        return RowFactory.create(image.getString(0), image.getString(1), null, null, null, embedding, embedding.length);
    }

    private static Row failed(String imageId, String uri, String stage, String code, String reason) {
        return RowFactory.create(imageId, uri, stage, code, reason, null, null);
    }
}
