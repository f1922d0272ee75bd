package io.lakelens.jobs.finetune;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import io.lakelens.finetune.BatchSource;
import io.lakelens.finetune.TrainingBatch;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Training batches streamed from a prepared Spark dataset: each epoch is ordered by a hash of the
 * pair, the seed and the epoch (the same order on every run with the seed), and read with {@code
 * toLocalIterator}, one partition at a time, so the driver holds one batch, never the data set.
 */
final class SparkBatches implements BatchSource {

    private final Dataset<Row> pairs;
    private final long count;
    private final int batchSize;
    private final long seed;
    private final long padId;

    SparkBatches(Dataset<Row> pairs, long count, int batchSize, long seed, long padId) {
        this.pairs = pairs;
        this.count = count;
        this.batchSize = batchSize;
        this.seed = seed;
        this.padId = padId;
    }

    @Override
    public long batchesPerEpoch() {
        return count / batchSize;
    }

    @Override
    public Iterator<TrainingBatch> epoch(int epoch, long skip) {
        Iterator<Row> rows = pairs
                .orderBy(xxhash64(col("image_id"), col("caption"), lit(seed), lit(epoch)), col("image_id"), col("caption"))
                .toLocalIterator();
        for (long i = 0; i < skip * batchSize && rows.hasNext(); i++) {
            rows.next();
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public TrainingBatch next() {
                List<Row> batch = new ArrayList<>(batchSize);
                while (batch.size() < batchSize && rows.hasNext()) {
                    batch.add(rows.next());
                }
                if (batch.size() < batchSize) {
                    throw new NoSuchElementException("no full batch left");
                }
                return toBatch(batch);
            }
        };
    }

    private TrainingBatch toBatch(List<Row> rows) {
        int per = rows.get(0).getList(2).size();
        float[] pixels = new float[rows.size() * per];
        int longest = 0;
        for (Row r : rows) {
            longest = Math.max(longest, r.getList(3).size());
        }
        long[][] ids = new long[rows.size()][longest];
        long[][] mask = new long[rows.size()][longest];
        for (int i = 0; i < rows.size(); i++) {
            List<Float> p = rows.get(i).getList(2);
            for (int k = 0; k < per; k++) {
                pixels[i * per + k] = p.get(k);
            }
            List<Long> t = rows.get(i).getList(3);
            for (int k = 0; k < longest; k++) {
                ids[i][k] = k < t.size() ? t.get(k) : padId;
                mask[i][k] = k < t.size() ? 1 : 0;
            }
        }
        return new TrainingBatch(pixels, ids, mask);
    }
}
