package io.lakelens.jobs.caption;

import io.lakelens.jobs.inference.BatchIterator;
import io.lakelens.jobs.inference.ImageSource;
import io.lakelens.jobs.inference.ModelRef;
import io.lakelens.jobs.spark.HadoopConf;
import io.lakelens.models.blip.BlipCaptioner;
import io.lakelens.models.blip.Caption;
import io.lakelens.models.generation.GenerationConfig;
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
 * Executor side of {@code lakelens caption}: batches of images through the executor's shared BLIP
 * captioner. Sampling seeds are derived from (seed, image_id), so an image's caption does not depend
 * on how the images were partitioned or batched.
 */
final class CaptionPartition implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    private final ModelRef model;
    private final String device;
    private final GenerationConfig config;
    private final int batchSize;
    private final HadoopConf hadoopConf;
    private final LongAccumulator progress;

    CaptionPartition(ModelRef model, String device, GenerationConfig config, int batchSize, HadoopConf hadoopConf,
            LongAccumulator progress) {
        this.model = model;
        this.device = device;
        this.config = config;
        this.batchSize = batchSize;
        this.hadoopConf = hadoopConf;
        this.progress = progress;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> images) {
        BlipCaptioner blip = BlipExecutor.captioner(model, device);
        ImagePreprocessor preprocessor = BlipExecutor.preprocessor(model);
        int size = blip.config().vision().imageSize();
        int pixelsPerImage = 3 * size * size;
        return new BatchIterator<Row, Row>(images, batchSize) {
            @Override
            protected List<Row> process(List<Row> batch) {
                List<Row> out = new ArrayList<>(batch.size());
                float[] pixels = new float[batch.size() * pixelsPerImage];
                List<Row> ready = new ArrayList<>(batch.size());
                for (Row image : batch) {
                    try {
                        byte[] bytes = ImageSource.bytes((byte[]) image.get(2), image.getString(1), hadoopConf);
                        preprocessor.preprocessInto(bytes, pixels, ready.size() * pixelsPerImage);
                        ready.add(image);
                    } catch (ImageDecodeException e) {
                        out.add(failed(image, "decode", e.reason().name(), e.getMessage()));
                    } catch (Exception e) {
                        out.add(failed(image, "decode", "READ_ERROR", String.valueOf(e.getMessage())));
                    }
                }
                if (ready.size() < batch.size()) {
                    // The model takes exactly the images that decoded.
                    pixels = java.util.Arrays.copyOf(pixels, ready.size() * pixelsPerImage);
                }
                if (!ready.isEmpty()) {
                    out.addAll(caption(blip, ready, pixels, pixelsPerImage));
                }
                progress.add(batch.size());
                return out;
            }
        };
    }

    private List<Row> caption(BlipCaptioner blip, List<Row> ready, float[] pixels, int pixelsPerImage) {
        List<Row> out = new ArrayList<>(ready.size());
        long[] seeds = new long[ready.size()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = seedFor(ready.get(i).getString(0));
        }
        try {
            List<Caption> captions = blip.generate(pixels, ready.size(), config, seeds);
            for (int i = 0; i < ready.size(); i++) {
                out.add(done(ready.get(i), captions.get(i)));
            }
        } catch (RuntimeException batchFailure) {
            for (int i = 0; i < ready.size(); i++) {
                float[] one = new float[pixelsPerImage];
                System.arraycopy(pixels, i * pixelsPerImage, one, 0, pixelsPerImage);
                try {
                    out.add(done(ready.get(i), blip.generate(one, 1, config, new long[] {seeds[i]}).get(0)));
                } catch (RuntimeException e) {
                    out.add(failed(ready.get(i), "model", "MODEL_ERROR", String.valueOf(e.getMessage())));
                }
            }
        }
        return out;
    }

    /** A per-image seed: the user's seed mixed with the image id (SplitMix64 finaliser). */
    private long seedFor(String imageId) {
        long z = config.seed() ^ imageId.hashCode() * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static Row done(Row image, Caption c) {
        return RowFactory.create(image.getString(0), image.getString(1), null, null, null,
                c.text(), c.newTokens(), c.tokenIds(), Double.isNaN(c.score()) ? null : c.score());
    }

    private static Row failed(Row image, String stage, String code, String reason) {
        return RowFactory.create(image.getString(0), image.getString(1), stage, code, reason, null, null, null, null);
    }
}
