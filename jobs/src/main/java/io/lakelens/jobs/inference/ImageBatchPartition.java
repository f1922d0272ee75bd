package io.lakelens.jobs.inference;

import io.lakelens.jobs.spark.HadoopConf;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * The executor side of every model job over images, as one Spark partition function: image rows
 * (with columns {@code image_id}, {@code uri}, {@code content}, and whatever else the job reads) in,
 * {@link BatchOutcome} rows out, one per image: the job's result columns for an image that went
 * through, or stage, reason code and reason for one to quarantine. Reading, decoding, batching and
 * the one-by-one fallback are {@link ImageBatches}'; a job supplies only its {@link Job}.
 */
public final class ImageBatchPartition<R> implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    /** What a job runs in the executors; shipped with the task, so it holds plain values only. */
    public interface Job<R> extends Serializable {
        /** This executor's model for the job (from {@link ExecutorModels}), once per partition. */
        ImageBatches.Model<Row, R> open();

        /** The job's result columns of a finished image, in the order of its result schema. */
        Object[] columns(Row image, R result);
    }

    private final Job<R> job;
    private final int resultColumns;
    private final int batchSize;
    private final HadoopConf hadoopConf;
    private final LongAccumulator progress;

    /**
     * @param results the job's result columns (as {@link BatchOutcome#schema} adds them)
     * @param progress images processed are added here, or null
     */
    public ImageBatchPartition(Job<R> job, StructType results, int batchSize, HadoopConf hadoopConf,
            LongAccumulator progress) {
        this.job = job;
        this.resultColumns = results.size();
        this.batchSize = batchSize;
        this.hadoopConf = hadoopConf;
        this.progress = progress;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> images) {
        ImageBatches.Model<Row, R> model = job.open();
        ImageBatches.Reader<Row> reader = image ->
                ImageSource.bytes(image.getAs("content"), image.getAs("uri"), hadoopConf);
        return new BatchIterator<Row, Row>(images, batchSize) {
            @Override
            protected List<Row> process(List<Row> batch) {
                List<Row> out = new ArrayList<>(batch.size());
                ImageBatches.process(batch, reader, model, new ImageBatches.Outcomes<>() {
                    @Override
                    public void done(Row image, R result) {
                        out.add(outcome(image, null, null, null, job.columns(image, result)));
                    }

                    @Override
                    public void failed(Row image, String stage, String code, String reason) {
                        out.add(outcome(image, stage, code, reason, new Object[resultColumns]));
                    }
                });
                if (progress != null) {
                    progress.add(batch.size());
                }
                return out;
            }
        };
    }

    private static Row outcome(Row image, String stage, String code, String reason, Object[] results) {
        Object[] values = new Object[5 + results.length];
        values[0] = image.getAs("image_id");
        values[1] = image.getAs("uri");
        values[2] = stage;
        values[3] = code;
        values[4] = reason;
        System.arraycopy(results, 0, values, 5, results.length);
        return RowFactory.create(values);
    }
}
