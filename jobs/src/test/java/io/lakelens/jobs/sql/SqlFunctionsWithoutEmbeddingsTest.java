package io.lakelens.jobs.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.testing.SparkTestSession;
import io.lakelens.jobs.testing.TinyModels;
import java.nio.file.Path;
import org.apache.spark.sql.AnalysisException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQL functions on a warehouse with no embeddings yet: errors that say what to do. */
class SqlFunctionsWithoutEmbeddingsTest {

    @TempDir
    Path tmp;

    @Test
    void missingTableAndMissingDefaultModelAreAnalysisErrors() {
        try (LakelensSession s = SparkTestSession.on(tmp.resolve("empty"))) {
            AnalysisException e = assertThrows(AnalysisException.class,
                    () -> s.spark().sql("SELECT * FROM nearest_images('a cat', 3)").collect());
            assertTrue(e.getMessage().contains("nearest_images: lakelens.image_embeddings does not exist in this warehouse;"
                    + " compute embeddings first with `lakelens embed`"), e.getMessage());

            e = assertThrows(AnalysisException.class, () -> s.spark().sql("SELECT clip_text_embedding('a cat')").collect());
            assertTrue(e.getMessage().contains("clip_text_embedding: no model given and none to default to"), e.getMessage());

            // The setting names the default model.
            s.spark().conf().set(SqlModels.MODEL_CONF, TinyModels.clip().toString());
            try {
                assertEquals(EmbeddingsWarehouse.textEmbedding("a cat").length,
                        s.spark().sql("SELECT clip_text_embedding('a cat')").first().getList(0).size());
            } finally {
                s.spark().conf().unset(SqlModels.MODEL_CONF);
            }
        }
    }
}
