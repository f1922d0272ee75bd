package io.lakelens.jobs.embed;

import static io.lakelens.jobs.testing.TestImages.image;
import static io.lakelens.jobs.testing.TestImages.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.jobs.LakelensException;
import io.lakelens.jobs.inference.ChunkedImageJob;
import io.lakelens.jobs.ingest.IngestJob;
import io.lakelens.jobs.ingest.IngestOptions;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.testing.SparkTestSession;
import io.lakelens.jobs.testing.TinyModels;
import io.lakelens.models.clip.ClipEmbedder;
import io.lakelens.models.clip.ClipModel;
import io.lakelens.models.runtime.ComputeDevice;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedJobTest {

    @TempDir
    Path tmp;

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    private void ingest(LakelensSession s, Path src) {
        // Header-only ingest lets a truncated file in, so that embed must quarantine it.
        new IngestJob(s).run(IngestOptions.builder(src.toString(), "d").labels(IngestOptions.LabelSource.FOLDER, "label").limits(1 << 20, IngestOptions.DEFAULT_MAX_PIXELS).fullDecode(false).build());
    }

    private EmbedJob.Options options(int chunkSize) {
        return new EmbedJob.Options("d", TinyModels.clip().toString(), "cpu", 3, chunkSize, false);
    }

    @Test
    void embedsEveryImageOnceQuarantinesBadOnesAndMatchesTheLibrary() throws Exception {
        Path src = tmp.resolve("src");
        for (int i = 0; i < 7; i++) {
            write(src.resolve((i % 2 == 0 ? "a" : "b") + "/img" + i + ".png"), image("png", 30 + i, 40, i));
        }
        byte[] png = image("png", 64, 64, 99);
        write(src.resolve("a/cut.png"), Arrays.copyOf(png, png.length / 2));
        try (LakelensSession s = SparkTestSession.on(tmp.resolve("wh"))) {
            ingest(s, src);
            ChunkedImageJob.Result r = new EmbedJob(s).run(options(4), QUIET);
            assertEquals(8, r.input());
            assertEquals(7, r.written());
            assertEquals(1, r.quarantined());
            assertEquals(r.input(), r.written() + r.alreadyDone() + r.quarantined());
            assertEquals("TRUNCATED", s.spark().sql(
                    "SELECT reason_code FROM lakelens.quarantine WHERE job = 'embed'").first().getString(0));

            ChunkedImageJob.Result again = new EmbedJob(s).run(options(4), QUIET);
            assertEquals(0, again.written(), "a rerun computes nothing");
            assertEquals(7, again.alreadyDone());
            assertEquals(1, again.quarantined(), "quarantined images are not retried unless asked");

            // The stored embeddings are the library's, for the same bytes.
            Row row = s.spark().sql("SELECT e.embedding, i.content, e.dim, e.model_id FROM lakelens.image_embeddings e"
                    + " JOIN lakelens.images i USING (image_id) WHERE i.uri LIKE '%img3.png'").first();
            List<Float> stored = row.getList(0);
            try (ClipEmbedder clip = ClipEmbedder.load(TinyModels.clip(), ComputeDevice.cpu())) {
                float[] expected = clip.embedImages(clip.processor().preprocess((byte[]) row.get(1)), 1)[0];
                float[] actual = new float[stored.size()];
                for (int i = 0; i < actual.length; i++) {
                    actual[i] = stored.get(i);
                }
                assertArrayEquals(expected, actual, 1e-5f);
                assertEquals(expected.length, row.getInt(2));
            }
            assertTrue(row.getString(3).startsWith("local:"), row.getString(3));
        }
    }

    @Test
    void aJobKilledAfterSomeChunksFinishesOnRerunWithoutDuplicates() {
        Path src = tmp.resolve("many");
        for (int i = 0; i < 12; i++) {
            write(src.resolve("x/img" + i + ".png"), image("png", 24, 24, 100 + i));
        }
        try (LakelensSession s = SparkTestSession.on(tmp.resolve("wh2"))) {
            ingest(s, src);
            // A crash after 2 committed chunks, through the job's test seam.
            ChunkedImageJob.ChunkListener crashAfterTwo = (committed, chunks) -> {
                if (committed == 2 && committed < chunks) {
                    throw new IllegalStateException("stopping after 2 committed chunks (test)");
                }
            };
            assertThrows(IllegalStateException.class, () -> new EmbedJob(s, crashAfterTwo).run(options(3), QUIET));
            long afterCrash = s.spark().sql("SELECT * FROM lakelens.image_embeddings").count();
            assertTrue(afterCrash > 0 && afterCrash < 12, "some chunks were committed: " + afterCrash);
            assertEquals("failed", s.spark().sql("SELECT status FROM lakelens.job_runs WHERE job = 'embed'").first().getString(0));

            ChunkedImageJob.Result r = new EmbedJob(s).run(options(3), QUIET);
            assertEquals(afterCrash, r.alreadyDone());
            assertEquals(12 - afterCrash, r.written());
            Row counts = s.spark().sql("SELECT count(*), count(DISTINCT image_id) FROM lakelens.image_embeddings").first();
            assertEquals(12L, counts.getLong(0));
            assertEquals(12L, counts.getLong(1));
        }
    }

    @Test
    void aModelOfAnotherKindIsRefusedBeforeAnyWork() {
        try (LakelensSession s = SparkTestSession.on(tmp.resolve("wh3"))) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> new EmbedJob(s).run(
                    new EmbedJob.Options("d", TinyModels.blip().toString(), "cpu", 2, 10, false), QUIET));
            assertTrue(e.getMessage().contains("model_type is 'blip'"), e.getMessage());
            assertThrows(LakelensException.class, () -> new EmbedJob(s).run(options(4), QUIET),
                    "no images ingested yet");
        }
    }
}
