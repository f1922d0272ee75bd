package io.lakelens.jobs.captioneval;

import io.lakelens.eval.captions.PtbTokenizer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Executor side: PTB-tokenizes {@code (image_id, caption)} rows as the COCO toolkit does, a few
 * hundred captions per tokenizer run. Line breaks inside a caption other than {@code \n} are turned
 * into spaces ({@link PtbTokenizer.LineBreaks#AS_SPACE}): the toolkit's shift of every later caption
 * (quirk T2) depends on one global caption order that a distributed table does not have.
 */
final class CaptionTokenizing implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;
    private static final int CAPTIONS_PER_RUN = 256;

    static final StructType SCHEMA = new StructType()
            .add("image_id", DataTypes.StringType, false)
            .add("caption", DataTypes.StringType, false)
            .add("tokenized", DataTypes.StringType, false);

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        PtbTokenizer tokenizer = new PtbTokenizer(PtbTokenizer.LineBreaks.AS_SPACE);
        return new Iterator<>() {
            private final List<Row> out = new ArrayList<>();
            private int next;

            @Override
            public boolean hasNext() {
                if (next < out.size()) {
                    return true;
                }
                out.clear();
                next = 0;
                List<String> ids = new ArrayList<>();
                List<String> captions = new ArrayList<>();
                while (rows.hasNext() && captions.size() < CAPTIONS_PER_RUN) {
                    Row r = rows.next();
                    ids.add(r.getString(0));
                    captions.add(r.getString(1));
                }
                if (captions.isEmpty()) {
                    return false;
                }
                List<String> lines = tokenizer.tokenizeLines(captions);
                if (lines.size() != captions.size()) {
                    throw new IllegalStateException("the PTB tokenizer returned " + lines.size() + " lines for "
                            + captions.size() + " captions (first image " + ids.get(0) + ")");
                }
                for (int i = 0; i < captions.size(); i++) {
                    out.add(RowFactory.create(ids.get(i), captions.get(i), lines.get(i)));
                }
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return out.get(next++);
            }
        };
    }
}
