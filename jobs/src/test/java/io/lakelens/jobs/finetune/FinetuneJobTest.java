package io.lakelens.jobs.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.jobs.embed.EmbedJob;
import io.lakelens.jobs.ingest.IngestJob;
import io.lakelens.jobs.ingest.IngestOptions;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.testing.SparkTestSession;
import io.lakelens.jobs.testing.TinyModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FinetuneJobTest {

    @TempDir
    Path tmp;

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    private FinetuneJob.Options options(String dataset, Path out, boolean resume) {
        return new FinetuneJob.Options(dataset, TinyModels.clip().toString(), out, 1, 8, 4, 1e-3, 1, 0.1,
                false, false, 0, 0.2, 7, "cpu", resume, 0.5, TinyModels.samplesManifest().resolveSibling("labels.txt"), 5);
    }

    @Test
    void finetunesTheSamplesRecordsTablesAndTheModelEmbeds() throws Exception {
        try (LakelensSession s = SparkTestSession.on(tmp.resolve("wh"))) {
            new IngestJob(s).run(new IngestOptions(TinyModels.samplesManifest().toString(), "samples", null, "label",
                    "captions", true, IngestOptions.DEFAULT_MAX_FILE_BYTES, IngestOptions.DEFAULT_MAX_PIXELS, true));
            Path out = tmp.resolve("ft");
            FinetuneJob.Result r = new FinetuneJob(s).run(options("samples", out, false), QUIET);
            assertTrue(r.steps() > 0, r.toString());
            assertTrue(r.trainPairs() > 100 && r.valPairs() > 0, r.toString());
            assertEquals(r.steps(), s.spark().sql("SELECT count(*) FROM lakelens.training_steps").first().getLong(0));
            assertEquals("succeeded", s.spark().sql("SELECT status FROM lakelens.training_runs").first().getString(0));
            assertEquals(2, s.spark().sql("SELECT * FROM lakelens.eval_runs WHERE parameters['stage'] IN ('before', 'after')").count());
            assertTrue(r.after().containsKey("zeroshot_top1_accuracy"), r.toString());
            System.out.println("finetune on samples: " + r);

            // The fine-tuned folder is a model like any other.
            var e = new EmbedJob(s).run(new EmbedJob.Options("samples", out.toString(), "cpu", 16, 80, false), QUIET);
            assertEquals(e.input(), e.written());

            assertThrows(IllegalArgumentException.class, () -> new FinetuneJob(s).run(options("samples", out, false), QUIET));
            assertThrows(IllegalArgumentException.class, () -> new FinetuneJob(s).run(options("nothing", tmp.resolve("x"), false), QUIET));
            assertThrows(IllegalArgumentException.class, () -> new FinetuneJob.Options("samples", "m", tmp, 1, 8, 0, 0, 0,
                    0, false, false, 0, 0.1, 0, "cpu", false, null, null, 0));
        }
    }
}
