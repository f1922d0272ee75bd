package io.lakelens.jobs.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.jobs.LakelensException;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.testing.SparkTestSession;
import io.lakelens.jobs.testing.TinyModels;
import io.lakelens.models.clip.ClipEmbedder;
import io.lakelens.models.clip.ClipModel;
import io.lakelens.models.runtime.ComputeDevice;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedTextJobTest {

    @TempDir
    Path tmp;

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    private static EmbedTextJob.Options options(String input, String column) {
        return new EmbedTextJob.Options(input, column, TinyModels.clip().toString(), "cpu", 2);
    }

    @Test
    void embedsEachDistinctTextOnceMatchesTheLibraryAndSkipsDoneTexts() throws Exception {
        Path txt = Files.writeString(tmp.resolve("queries.txt"), "a red bicycle\na photo of a dog\na red bicycle\nünïcode ✓\n");
        Path jsonl = Files.writeString(tmp.resolve("more.jsonl"),
                "{\"q\": \"a photo of a dog\"}\n{\"q\": null}\n{\"q\": \"a green tree\"}\n");
        try (LakelensSession s = SparkTestSession.on(tmp.resolve("wh"))) {
            EmbedTextJob.Result first = new EmbedTextJob(s).run(options(txt.toString(), null), QUIET);
            assertEquals(new EmbedTextJob.Result(4, 0, 1, 0, 3, first.seconds()), first);

            // The second input shares one text with the first, has a NULL and one new text.
            EmbedTextJob.Result second = new EmbedTextJob(s).run(options(jsonl.toString(), "q"), QUIET);
            assertEquals(new EmbedTextJob.Result(3, 1, 0, 1, 1, second.seconds()), second);
            EmbedTextJob.Result again = new EmbedTextJob(s).run(options(txt.toString(), null), QUIET);
            assertEquals(0, again.written());
            assertEquals(3, again.alreadyDone());

            List<Row> rows = s.spark().sql("SELECT text_id, text, embedding, dim, model_id FROM lakelens.text_embeddings"
                    + " ORDER BY text").collectAsList();
            assertEquals(4, rows.size());
            List<String> texts = rows.stream().map(r -> r.getString(1)).toList();
            assertEquals(List.of("a green tree", "a photo of a dog", "a red bicycle", "ünïcode ✓"), texts);
            try (ClipEmbedder clip = ClipEmbedder.load(TinyModels.clip(), ComputeDevice.cpu())) {
                float[][] expected = clip.embedTexts(texts);
                for (int i = 0; i < rows.size(); i++) {
                    Row r = rows.get(i);
                    assertEquals(sha256(r.getString(1)), r.getString(0));
                    List<Float> e = r.getList(2);
                    float[] actual = new float[e.size()];
                    for (int d = 0; d < actual.length; d++) {
                        actual[d] = e.get(d);
                    }
                    assertEquals(expected[i].length, r.getInt(3));
                    assertArrayEquals(expected[i], actual, 1e-5f, r.getString(1));
                }
            }
            long runs = s.spark().sql("SELECT * FROM lakelens.job_runs WHERE job = 'embed-text' AND status = 'succeeded'").count();
            assertEquals(3, runs);
        }
    }

    @Test
    void badInputsAreNamedBeforeAnyWork() throws Exception {
        Path csv = Files.writeString(tmp.resolve("t.csv"), "id,caption\n1,a cat\n");
        try (LakelensSession s = SparkTestSession.on(tmp.resolve("wh2"))) {
            LakelensException noColumn = assertThrows(LakelensException.class,
                    () -> new EmbedTextJob(s).run(options(csv.toString(), null), QUIET));
            assertTrue(noColumn.getMessage().contains("no column 'text'"), noColumn.getMessage());
            assertTrue(noColumn.getMessage().contains("id, caption"), noColumn.getMessage());
            LakelensException missing = assertThrows(LakelensException.class,
                    () -> new EmbedTextJob(s).run(options(tmp.resolve("nope.txt").toString(), null), QUIET));
            assertTrue(missing.getMessage().contains("no such file or table"), missing.getMessage());
            assertTrue(!s.catalog().exists(io.lakelens.jobs.tables.LakelensTables.TEXT_EMBEDDINGS));
        }
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
