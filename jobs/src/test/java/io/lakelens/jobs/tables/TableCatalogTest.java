package io.lakelens.jobs.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.testing.SparkTestSession;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableCatalogTest {

    @TempDir
    Path tmp;

    private static Dataset<Row> embeddings(LakelensSession s, Object[]... rows) {
        List<Row> list = java.util.Arrays.stream(rows).map(RowFactory::create).toList();
        return s.spark().createDataFrame(list, LakelensTables.IMAGE_EMBEDDINGS.schema());
    }

    @Test
    void tablesAreVisibleByNameInALaterSessionWithTheirComments() {
        Path wh = tmp.resolve("wh");
        Timestamp now = new Timestamp(System.currentTimeMillis());
        try (LakelensSession s = SparkTestSession.on(wh)) {
            DeltaMerge.Counts c = DeltaMerge.insertNew(s.spark(), s.catalog(), LakelensTables.IMAGE_EMBEDDINGS, embeddings(s,
                    new Object[] {"i1", "m", new float[] {1f, 0f}, 2, now},
                    new Object[] {"i2", "m", new float[] {0f, 1f}, 2, now}));
            assertEquals(new DeltaMerge.Counts(2, 0), c);
            c = DeltaMerge.insertNew(s.spark(), s.catalog(), LakelensTables.IMAGE_EMBEDDINGS, embeddings(s,
                    new Object[] {"i2", "m", new float[] {9f, 9f}, 2, now},
                    new Object[] {"i3", "m", new float[] {1f, 1f}, 2, now}));
            assertEquals(new DeltaMerge.Counts(1, 0), c, "only the new key is inserted, the old row is kept");
        }
        // A new session (as a new process would make) sees the table by name.
        try (LakelensSession s = SparkTestSession.on(wh)) {
            assertEquals(3, s.spark().sql("SELECT * FROM lakelens.image_embeddings").count());
            assertEquals(List.of(0f, 1f), s.spark().sql(
                    "SELECT embedding FROM lakelens.image_embeddings WHERE image_id = 'i2'").first().getList(0));
            Map<String, String> comments = new java.util.HashMap<>();
            s.spark().sql("DESCRIBE lakelens.image_embeddings").collectAsList()
                    .forEach(r -> comments.put(r.getString(0), r.getString(2)));
            assertEquals("L2-normalised image embedding", comments.get("embedding"));
            String tableComment = s.spark().sql("DESCRIBE TABLE EXTENDED lakelens.image_embeddings").collectAsList().stream()
                    .filter(r -> "Comment".equals(r.getString(0))).map(r -> r.getString(1)).findFirst().orElse("");
            assertTrue(tableComment.startsWith("CLIP image embeddings"), tableComment);
        }
    }
}
