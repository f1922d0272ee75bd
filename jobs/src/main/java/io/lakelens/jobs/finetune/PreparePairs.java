package io.lakelens.jobs.finetune;

import io.lakelens.jobs.inference.BatchOutcome;
import io.lakelens.jobs.inference.ExecutorModels;
import io.lakelens.jobs.inference.ImageBatchPartition;
import io.lakelens.jobs.inference.ImageBatches;
import io.lakelens.jobs.inference.ModelRef;
import io.lakelens.models.clip.ClipProcessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Executor side of {@code lakelens finetune}'s data preparation, on the executor kit: each (image,
 * caption) pair's image decoded, resized and normalised and its caption tokenized with the model's
 * {@link ClipProcessor}, so the trainer and the validation receive tensors only. An image that cannot
 * be decoded (bytes read by reference can change after ingest) does not fail the run: its row
 * carries a stage, reason code and reason instead, as every {@link BatchOutcome} row does.
 *
 * <p>Input rows: image_id, caption, uri, content (and label, passed through). Output: {@link
 * BatchOutcome#schema} of {@link #RESULT}.
 */
final class PreparePairs implements ImageBatchPartition.Job<PreparePairs.Pair> {

    private static final long serialVersionUID = 1L;

    /** Pairs per preprocessing batch (no model runs here; this only bounds the buffer). */
    static final int BATCH = 32;

    static final StructType RESULT = new StructType()
            .add("caption", DataTypes.StringType, true)
            .add("label", DataTypes.StringType, true)
            .add("pixels", DataTypes.createArrayType(DataTypes.FloatType, false), true)
            .add("input_ids", DataTypes.createArrayType(DataTypes.LongType, false), true);

    /** The columns the trainer reads ({@link SparkBatches}), in its order. */
    static final String[] TRAINING_COLUMNS = {"image_id", "caption", "pixels", "input_ids"};

    /** One prepared pair: the image's pixel values and the caption's token ids. */
    record Pair(float[] pixels, long[] inputIds) {}

    private final ModelRef model;

    PreparePairs(ModelRef model) {
        this.model = model;
    }

    @Override
    public ImageBatches.Model<Row, Pair> open() {
        ClipProcessor processor = ExecutorModels.clipProcessor(model);
        int per = processor.pixelsPerImage();
        return new ImageBatches.Model<>(per, processor::preprocessInto, (pixels, rows) -> {
            List<Pair> out = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                out.add(new Pair(Arrays.copyOfRange(pixels, i * per, (i + 1) * per),
                        processor.tokenize(rows.get(i).<String>getAs("caption"))));
            }
            return out;
        });
    }

    @Override
    public Object[] columns(Row pair, Pair prepared) {
        Float[] pixels = new Float[prepared.pixels().length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = prepared.pixels()[i];
        }
        Long[] ids = new Long[prepared.inputIds().length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = prepared.inputIds()[i];
        }
        return new Object[] {pair.getAs("caption"), pair.getAs("label"), pixels, ids};
    }
}
