package io.lakelens.jobs.finetune;

import io.lakelens.jobs.inference.ExecutorModels;
import io.lakelens.jobs.inference.ImageSource;
import io.lakelens.jobs.inference.ModelRef;
import io.lakelens.jobs.spark.HadoopConf;
import io.lakelens.models.checkpoint.CheckpointFolder;
import io.lakelens.models.clip.ClipConfig;
import io.lakelens.models.image.ImagePreprocessor;
import io.lakelens.models.text.ClipTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Executor side of {@code lakelens finetune}: decodes, resizes and normalises each image and
 * tokenizes its caption, so the trainer receives tensors only. An image that cannot be decoded is
 * left out (and counted by the caller) rather than failing the run.
 */
final class PreparePairs implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    /** (image_id, caption, uri, content) in; this out. */
    static final StructType SCHEMA = new StructType()
            .add("image_id", DataTypes.StringType, false)
            .add("caption", DataTypes.StringType, false)
            .add("pixels", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("input_ids", DataTypes.createArrayType(DataTypes.LongType, false), false);

    private final ModelRef model;
    private final HadoopConf hadoopConf;

    PreparePairs(ModelRef model, HadoopConf hadoopConf) {
        this.model = model;
        this.hadoopConf = hadoopConf;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        Path folder = model.localFolder();
        ImagePreprocessor preprocessor = ExecutorModels.get("clip-preprocessor|" + folder,
                () -> ImagePreprocessor.fromConfig(folder.resolve("preprocessor_config.json")));
        ClipConfig config = ClipConfig.of(CheckpointFolder.open(folder));
        ClipTokenizer tokenizer = ExecutorModels.get("clip-tokenizer|" + folder,
                () -> ClipTokenizer.open(folder, config.text().maxPositionEmbeddings()));
        int per = config.vision().pixelsPerImage();
        List<Row> out = new ArrayList<>();
        while (rows.hasNext()) {
            Row r = rows.next();
            try {
                float[] pixels = new float[per];
                preprocessor.preprocessInto(ImageSource.bytes((byte[]) r.get(3), r.getString(2), hadoopConf), pixels, 0);
                long[] ids = tokenizer.encode(r.getString(1));
                Float[] boxedPixels = new Float[per];
                for (int i = 0; i < per; i++) {
                    boxedPixels[i] = pixels[i];
                }
                Long[] boxedIds = new Long[ids.length];
                for (int i = 0; i < ids.length; i++) {
                    boxedIds[i] = ids[i];
                }
                out.add(RowFactory.create(r.getString(0), r.getString(1), boxedPixels, boxedIds));
            } catch (Exception e) {
                // Undecodable images were quarantined at ingest; one that fails here is skipped.
            }
        }
        return out.iterator();
    }
}
