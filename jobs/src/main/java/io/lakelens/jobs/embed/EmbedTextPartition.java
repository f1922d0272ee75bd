package io.lakelens.jobs.embed;

import io.lakelens.jobs.inference.BatchIterator;
import io.lakelens.jobs.inference.ExecutorModels;
import io.lakelens.jobs.inference.ModelRef;
import io.lakelens.models.clip.ClipEmbedder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;

/**
 * Executor side of {@code lakelens embed-text}: (text_id, text) rows → (text_id, text, embedding, dim),
 * batched through the executor's shared CLIP model. Texts longer than the model's context are
 * truncated by the tokenizer, as CLIP does, so no text fails.
 */
final class EmbedTextPartition implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    private final ModelRef model;
    private final String device;
    private final int batchSize;
    private final LongAccumulator progress;

    EmbedTextPartition(ModelRef model, String device, int batchSize, LongAccumulator progress) {
        this.model = model;
        this.device = device;
        this.batchSize = batchSize;
        this.progress = progress;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> texts) {
        ClipEmbedder clip = ExecutorModels.clip(model, device);
        return new BatchIterator<Row, Row>(texts, batchSize) {
            @Override
            protected List<Row> process(List<Row> batch) {
                List<String> strings = new ArrayList<>(batch.size());
                for (Row r : batch) {
                    strings.add(r.getString(1));
                }
                float[][] embeddings = clip.embedTexts(strings);
                List<Row> out = new ArrayList<>(batch.size());
                for (int i = 0; i < batch.size(); i++) {
                    out.add(RowFactory.create(batch.get(i).getString(0), strings.get(i), embeddings[i], embeddings[i].length));
                }
                progress.add(batch.size());
                return out;
            }
        };
    }
}
