package io.lakelens.jobs.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.tables.LakelensTables;
import io.lakelens.jobs.tables.TableSpec;
import io.lakelens.jobs.testing.SparkTestSession;
import io.lakelens.jobs.testing.TinyModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lakelens SQL functions in a Spark session, against the library's own numbers. */
class SqlFunctionsTest {

    @TempDir
    static Path tmp;

    static LakelensSession session;
    static EmbeddingsWarehouse warehouse;

    @BeforeAll
    static void setUp() {
        session = SparkTestSession.on(tmp.resolve("wh"));
        warehouse = EmbeddingsWarehouse.write(session);
    }

    @AfterAll
    static void tearDown() {
        session.close();
    }

    private static SparkSession spark() {
        return session.spark();
    }

    private static Row one(String sql) {
        return spark().sql(sql).first();
    }

    @Test
    void vectorFunctionsFollowTheirNullAndLengthRules() {
        assertEquals(Math.sqrt(0.5), one("SELECT cosine_similarity(array(1.0, 0.0), array(1.0, 1.0))").getDouble(0), 1e-12);
        assertEquals(1.0, one("SELECT cosine_similarity(array(CAST(1 AS FLOAT), 2), array(CAST(2 AS FLOAT), 4))").getDouble(0), 1e-7);
        assertEquals(11.0, one("SELECT dot_product(array(1, 2), array(3, 4))").getDouble(0), 0);
        assertEquals(0.0, one("SELECT dot_product(CAST(array() AS array<double>), CAST(array() AS array<double>))").getDouble(0), 0);
        assertEquals(List.of(0.6, 0.8), one("SELECT l2_normalize(array(3.0D, 4.0D))").getList(0));
        assertEquals(List.of(0.6f, 0.8f), one("SELECT l2_normalize(array(CAST(3 AS FLOAT), CAST(4 AS FLOAT)))").getList(0));

        // NULL array, NULL element, zero vector: NULL.
        assertTrue(one("SELECT cosine_similarity(NULL, array(1.0))").isNullAt(0));
        assertTrue(one("SELECT cosine_similarity(CAST(NULL AS array<float>), array(1.0))").isNullAt(0));
        assertTrue(one("SELECT dot_product(array(1.0, NULL), array(1.0, 2.0))").isNullAt(0));
        assertTrue(one("SELECT cosine_similarity(array(0.0, 0.0), array(1.0, 1.0))").isNullAt(0));
        assertTrue(one("SELECT l2_normalize(array(0.0, 0.0))").isNullAt(0));
        assertTrue(one("SELECT l2_normalize(NULL)").isNullAt(0));

        // Different lengths, at run time (from data): an error naming the function and both lengths.
        Exception e = assertThrows(Exception.class, () -> spark().sql(
                "SELECT cosine_similarity(a, b) FROM VALUES (array(1.0, 2.0), array(1.0)) AS t(a, b)").collect());
        assertTrue(messages(e).contains("cosine_similarity: the arrays have different lengths (2 and 1)"), messages(e));
    }

    @Test
    void wrongArgumentsAreAnalysisErrorsNamingFunctionAndArgument() {
        assertAnalysisError("cosine_similarity: argument 2 ('x') is string; expected array<float> or array<double>",
                "SELECT cosine_similarity(array(1.0), 'x')");
        assertAnalysisError("cosine_similarity: argument 1", "SELECT cosine_similarity(array('a'), array(1.0))");
        assertAnalysisError("dot_product takes 2 arguments, got 1", "SELECT dot_product(array(1.0))");
        assertAnalysisError("l2_normalize takes 1 argument, got 2", "SELECT l2_normalize(array(1.0), array(1.0))");
        assertAnalysisError("clip_text_embedding: argument 1 (42) is int; expected string", "SELECT clip_text_embedding(42)");
        assertAnalysisError("clip_text_embedding: unknown model 'no/such/model'",
                "SELECT clip_text_embedding('a cat', 'no/such/model')");
        assertAnalysisError("clip_text_embedding: unknown model '" + TinyModels.blip() + "': ",
                "SELECT clip_text_embedding('a cat', '" + TinyModels.blip() + "')");
        assertAnalysisError("clip_image_embedding: argument 1 ('x') is string; expected binary",
                "SELECT clip_image_embedding('x')");
        assertAnalysisError("clip_text_embedding: argument 2 (model_id) must be a constant",
                "SELECT clip_text_embedding('a cat', model_id) FROM lakelens.image_embeddings");
        assertAnalysisError("nearest_images: argument 2 (k) must be a positive INT", "SELECT * FROM nearest_images('a cat', 0)");
        assertAnalysisError("TABLE_OR_VIEW_NOT_FOUND", "SELECT * FROM lakelens.no_such_table");
    }

    @Test
    void textEmbeddingMatchesTheLibraryAndIsComputedOncePerQuery() {
        float[] expected = EmbeddingsWarehouse.textEmbedding("a red bicycle");
        long before = ClipFunctions.textsEmbedded();
        List<Row> rows = spark().sql("SELECT image_id, cosine_similarity(embedding, clip_text_embedding('a red bicycle')) AS score"
                + " FROM lakelens.image_embeddings WHERE model_id = '" + warehouse.modelId + "'"
                + " ORDER BY score DESC LIMIT 10").collectAsList();
        assertEquals(1, ClipFunctions.textsEmbedded() - before, "the constant text is embedded once, not per row");
        assertRanking(warehouse.ranking(expected).subList(0, 10), rows);

        Row r = one("SELECT clip_text_embedding('a red bicycle', '" + warehouse.modelId + "')");
        assertArrayEquals(expected, toFloats(r.getList(0)), 1e-6f);
        assertTrue(one("SELECT clip_text_embedding(CAST(NULL AS STRING))").isNullAt(0));

        // A text column is embedded per row, equal to the constant form.
        List<Row> perRow = spark().sql("SELECT t, clip_text_embedding(t) FROM VALUES ('a red bicycle'), ('a dog') AS v(t)")
                .collectAsList();
        assertArrayEquals(expected, toFloats(perRow.get(0).getList(1)), 1e-6f);
    }

    @Test
    void imageEmbeddingMatchesTheStoredEmbedding() {
        byte[] png = warehouse.images.get("img03");
        spark().createDataFrame(List.of(org.apache.spark.sql.RowFactory.create(png)),
                new org.apache.spark.sql.types.StructType().add("content", "binary")).createOrReplaceTempView("one_image");
        Row r = one("SELECT clip_image_embedding(content, '" + TinyModels.clip() + "') FROM one_image");
        assertArrayEquals(warehouse.embeddings.get("img03"), toFloats(r.getList(0)), 1e-5f);
        Exception e = assertThrows(Exception.class, () -> spark().sql(
                "SELECT clip_image_embedding(X'00010203')").collect());
        assertTrue(messages(e).contains("clip_image_embedding: the bytes are not a decodable image"), messages(e));
    }

    @Test
    void nearestImagesIsTheTopKQuery() {
        float[] query = EmbeddingsWarehouse.textEmbedding("a red bicycle");
        List<Row> rows = spark().sql("SELECT image_id, score FROM nearest_images('a red bicycle', 5)").collectAsList();
        assertRanking(warehouse.ranking(query).subList(0, 5), rows);
        List<Row> withModel = spark().sql("SELECT image_id, score FROM nearest_images('a red bicycle', 3, '"
                + warehouse.modelId + "')").collectAsList();
        assertRanking(warehouse.ranking(query).subList(0, 3), withModel);
    }

    @Test
    void functionsAreDocumented() {
        for (String f : List.of("cosine_similarity", "dot_product", "l2_normalize", "clip_text_embedding", "clip_image_embedding")) {
            String text = spark().sql("DESCRIBE FUNCTION EXTENDED " + f).collectAsList().stream()
                    .map(r -> r.getString(0)).collect(Collectors.joining("\n"));
            assertTrue(text.contains("Usage: " + f + "("), text);
            assertTrue(text.contains("NULL"), f + " documents its NULL rules:\n" + text);
            assertTrue(text.contains("Examples:"), text);
        }
    }

    /**
     * Every {@code > SELECT} example in the functions' documentation (as DESCRIBE FUNCTION EXTENDED
     * shows it) runs here and gives the result printed under it, in Spark's Hive-style text, as
     * Spark's own expression docs are checked.
     */
    @Test
    void everyDocumentedExampleGivesItsDocumentedResult() {
        int checked = 0;
        List<String> wrong = new java.util.ArrayList<>();
        List<String> names = new java.util.ArrayList<>();
        LakelensFunctions.scalars().forEach(f -> names.add(f.name()));
        LakelensFunctions.tables().forEach(f -> names.add(f.name()));
        for (String f : names) {
            String text = spark().sql("DESCRIBE FUNCTION EXTENDED " + f).collectAsList().stream()
                    .map(r -> r.getString(0)).collect(Collectors.joining("\n"));
            List<DocExample> examples = DocExample.parse(text.substring(text.indexOf("Examples:")));
            assertTrue(examples.size() >= 2, f + " has examples: " + text);
            for (DocExample e : examples) {
                assertTrue(e.query().startsWith("SELECT "), f + ": " + e.query());
                assertTrue(!e.expected().isEmpty(), f + ": the example has no result: " + e.query());
                List<String> actual = scala.collection.JavaConverters.seqAsJavaList(
                        org.apache.spark.sql.execution.HiveResult.hiveResultString(
                                spark().sql(e.query()).queryExecution().executedPlan()));
                if (!actual.equals(e.expected())) {
                    wrong.add(f + ": " + e.query() + "\n  documented " + e.expected() + "\n  got        " + actual);
                }
                checked++;
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(checked >= 14, "examples checked: " + checked);
    }

    /** A {@code > query;} line (continued until the ';') and the result lines under it. */
    record DocExample(String query, List<String> expected) {
        static List<DocExample> parse(String examples) {
            List<DocExample> out = new java.util.ArrayList<>();
            String[] lines = examples.split("\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                if (!line.startsWith("> ")) {
                    continue;
                }
                StringBuilder query = new StringBuilder(line.substring(2));
                while (!query.toString().endsWith(";") && i + 1 < lines.length) {
                    query.append(' ').append(lines[++i].strip());
                }
                List<String> expected = new java.util.ArrayList<>();
                while (i + 1 < lines.length && !lines[i + 1].strip().startsWith(">") && !lines[i + 1].isBlank()) {
                    expected.add(lines[++i].strip());
                }
                String q = query.toString();
                out.add(new DocExample(q.substring(0, q.length() - 1), expected));
            }
            return out;
        }
    }

    @Test
    void everyTableAndColumnHasAComment() {
        for (TableSpec spec : LakelensTables.all()) {
            assertTrue(!spec.comment().isBlank(), spec.name());
            for (StructField f : spec.schema().fields()) {
                assertTrue(f.getComment().isDefined() && !f.getComment().get().isBlank(), spec.name() + "." + f.name());
            }
        }
        // Creating a table writes them into its Delta log, where DESCRIBE finds them.
        TableSpec spec = LakelensTables.IMAGES;
        session.catalog().ensure(spec);
        Map<String, String> comments = spark().sql("DESCRIBE " + spec.qualifiedName()).collectAsList().stream()
                .filter(r -> !r.getString(0).isBlank() && !r.getString(0).startsWith("#"))
                .collect(Collectors.toMap(r -> r.getString(0), r -> r.isNullAt(2) ? "" : r.getString(2), (a, b) -> a));
        for (StructField f : spec.schema().fields()) {
            assertEquals(f.getComment().get(), comments.get(f.name()), spec.name() + "." + f.name());
        }
        String tableComment = spark().sql("DESCRIBE TABLE EXTENDED " + spec.qualifiedName()).collectAsList().stream()
                .filter(r -> "Comment".equals(r.getString(0))).map(r -> r.getString(1)).findFirst().orElse("");
        assertEquals(spec.comment(), tableComment);
    }

    // ------------------------------------------------------------------ helpers

    static void assertRanking(List<Map.Entry<String, Double>> expected, List<Row> rows) {
        assertEquals(expected.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(expected.get(i).getKey(), rows.get(i).getString(0), "rank " + (i + 1));
            assertEquals(expected.get(i).getValue(), rows.get(i).getDouble(1), 1e-5, "score of rank " + (i + 1));
        }
    }

    private static void assertAnalysisError(String expected, String sql) {
        AnalysisException e = assertThrows(AnalysisException.class, () -> spark().sql(sql).collect(), sql);
        assertTrue(e.getMessage().contains(expected), "for " + sql + "\n expected: " + expected + "\n got: " + e.getMessage());
    }

    /** The messages of the exception and its causes, one a line. */
    static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            sb.append(t.getMessage()).append('\n');
        }
        return sb.toString();
    }

    private static float[] toFloats(List<Object> list) {
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) list.get(i)).floatValue();
        }
        return out;
    }
}
