package io.lakelens.jobs.ingest;

import static io.lakelens.jobs.testing.TestImages.image;
import static io.lakelens.jobs.testing.TestImages.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.jobs.LakelensException;
import io.lakelens.jobs.ingest.IngestOptions.LabelSource;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.tables.LakelensTables;
import io.lakelens.jobs.testing.SparkTestSession;
import io.lakelens.jobs.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestJobTest {

    @TempDir
    Path tmp;

    private static IngestOptions dirOptions(Path source, String dataset) {
        return IngestOptions.builder(source.toString(), dataset).labels(LabelSource.FOLDER, "label").limits(20_000, IngestOptions.DEFAULT_MAX_PIXELS).build();
    }

    /** 2 cats, 2 dogs (one dog also copied under another name). */
    private Path goodImages() {
        Path src = tmp.resolve("src");
        write(src.resolve("cat/a.png"), image("png", 40, 30, 1));
        write(src.resolve("cat/b.jpg"), image("jpg", 30, 40, 2));
        write(src.resolve("dog/c.png"), image("png", 32, 32, 3));
        write(src.resolve("dog/d.png"), image("png", 50, 20, 4));
        write(src.resolve("dog/d-copy.png"), image("png", 50, 20, 4));
        return src;
    }

    @Test
    void ingestIsIdempotentAndIncremental() {
        Path src = goodImages();
        try (LakelensSession s = SparkTestSession.on(tmp.resolve("wh"))) {
            IngestJob job = new IngestJob(s);
            IngestResult first = job.run(dirOptions(src, "pets"));
            assertEquals(5, first.read());
            assertEquals(4, first.ingested());
            assertEquals(1, first.duplicates(), "the copy collapses onto the original");
            assertEquals(0, first.quarantined());

            IngestResult again = job.run(dirOptions(src, "pets"));
            assertArrayEquals(new long[] {5, 0, 5, 0}, new long[] {again.read(), again.ingested(), again.duplicates(), again.quarantined()},
                    "a rerun adds nothing");

            write(src.resolve("dog/e.png"), image("png", 20, 20, 5));
            IngestResult added = job.run(dirOptions(src, "pets"));
            assertEquals(6, added.read());
            assertEquals(1, added.ingested(), "only the new file is added");

            Map<String, Long> perLabel = new TreeMap<>();
            s.spark().sql("SELECT label, count(*) FROM lakelens.images GROUP BY label").collectAsList()
                    .forEach(r -> perLabel.put(r.getString(0), r.getLong(1)));
            assertEquals(Map.of("cat", 2L, "dog", 3L), perLabel);
            Row d = s.spark().sql("SELECT uri, width, height, format, color_mode, byte_size, content IS NOT NULL"
                    + " FROM lakelens.images WHERE uri LIKE '%/dog/d%'").first();
            assertTrue(d.getString(0).endsWith("/dog/d-copy.png"), "first path in sorted order is kept: " + d);
            assertEquals(50, d.getInt(1));
            assertEquals(20, d.getInt(2));
            assertEquals("png", d.getString(3));
            assertEquals("RGB", d.getString(4));
            assertTrue(d.getBoolean(6));

            List<Row> runs = s.spark().sql("SELECT status, counts FROM lakelens.job_runs WHERE job = 'ingest'").collectAsList();
            assertEquals(3, runs.size());
            runs.forEach(r -> assertEquals("succeeded", r.getString(0)));
        }
    }

    @Test
    void everyKindOfBadInputIsQuarantinedWithItsReason() throws IOException {
        Path src = tmp.resolve("bad");
        write(src.resolve("ok/good.png"), image("png", 16, 16, 7));
        write(src.resolve("x/empty.png"), new byte[0]);
        byte[] png = image("png", 64, 64, 8);
        write(src.resolve("x/truncated.png"), Arrays.copyOf(png, png.length / 2));
        byte[] jpg = image("jpg", 64, 64, 9);
        write(src.resolve("x/truncated.jpg"), Arrays.copyOf(jpg, jpg.length / 2));
        write(src.resolve("x/notes.txt"), "not an image at all".getBytes(StandardCharsets.UTF_8));
        write(src.resolve("x/random.png"), new java.util.Random(1).ints(2000, 0, 256)
                .collect(java.io.ByteArrayOutputStream::new, (o, i) -> o.write(i), (a, b) -> {}).toByteArray());
        write(src.resolve("x/bomb.png"), TestImages.bombPng(50_000, 50_000));
        write(src.resolve("x/huge.png"), TestImages.noisePng(200, 200, 3));

        try (LakelensSession s = SparkTestSession.on(tmp.resolve("wh"))) {
            IngestResult r = new IngestJob(s).run(dirOptions(src, "mixed"));
            assertEquals(8, r.read());
            assertEquals(1, r.ingested());
            assertEquals(7, r.quarantined());
            assertEquals(r.read(), r.ingested() + r.duplicates() + r.quarantined());

            Map<String, String> reasons = s.spark()
                    .sql("SELECT uri, reason_code, reason, stage, job FROM lakelens.quarantine").collectAsList().stream()
                    .collect(Collectors.toMap(row -> row.getString(0).replaceAll(".*/", ""), row -> row.getString(1)));
            assertEquals(Map.of(
                    "empty.png", "EMPTY",
                    "truncated.png", "TRUNCATED",
                    "truncated.jpg", "TRUNCATED",
                    "notes.txt", "NOT_AN_IMAGE",
                    "random.png", "NOT_AN_IMAGE",
                    "bomb.png", "TOO_LARGE",
                    "huge.png", "TOO_LARGE"), reasons);

            // A rerun updates the quarantine rows instead of adding copies.
            new IngestJob(s).run(dirOptions(src, "mixed"));
            assertEquals(7, s.spark().sql("SELECT * FROM lakelens.quarantine").count());
        }
    }

    @Test
    void manifestWithCaptionsFillsReferenceCaptions() throws IOException {
        Path src = tmp.resolve("m");
        write(src.resolve("img/1.png"), image("png", 20, 20, 11));
        write(src.resolve("img/2.png"), image("png", 20, 20, 12));
        Files.writeString(src.resolve("manifest.jsonl"),
                "{\"path\": \"img/1.png\", \"label\": \"red\", \"split\": \"train\", \"captions\": [\"a red thing.\", \"red.\"]}\n"
                        + "{\"path\": \"img/2.png\", \"label\": \"blue\", \"split\": \"val\", \"captions\": [\"a blue thing.\"]}\n");
        try (LakelensSession s = SparkTestSession.on(tmp.resolve("wh"))) {
            IngestOptions o = IngestOptions.builder(src.resolve("manifest.jsonl").toString(), "m").captions("captions").storeBytes(false).limits(1 << 20, IngestOptions.DEFAULT_MAX_PIXELS).build();
            IngestResult r = new IngestJob(s).run(o);
            assertEquals(2, r.ingested());
            assertEquals(3, r.captionsWritten());
            assertEquals(0, new IngestJob(s).run(o).captionsWritten(), "captions are merged, not appended");
            Row row = s.spark().sql("SELECT label, split, content FROM lakelens.images WHERE uri LIKE '%/1.png'").first();
            assertEquals("red", row.getString(0));
            assertEquals("train", row.getString(1));
            assertNull(row.get(2), "--reference-only keeps no bytes");
            assertEquals(2, s.spark().sql("SELECT * FROM lakelens.reference_captions WHERE caption LIKE '%red%'").count());
        }
    }

    @Test
    void manifestErrorsNameFileLineAndColumn() throws IOException {
        Path src = tmp.resolve("bad-manifest");
        write(src.resolve("a.png"), image("png", 10, 10, 1));
        Files.writeString(src.resolve("list.csv"), "path,label\na.png,x\nmissing.png,y\n,z\n");
        Files.writeString(src.resolve("nopath.csv"), "file,label\na.png,x\n");
        try (LakelensSession s = SparkTestSession.on(tmp.resolve("wh"))) {
            LakelensException e = assertThrows(LakelensException.class, () -> new IngestJob(s).run(IngestOptions.builder(src.resolve("list.csv").toString(), "d").limits(1 << 20, 1 << 20).build()));
            assertTrue(e.getMessage().contains("list.csv line 3, column path: file not found: missing.png"), e.getMessage());
            assertTrue(e.getMessage().contains("list.csv line 4, column path: empty path"), e.getMessage());

            e = assertThrows(LakelensException.class, () -> new IngestJob(s).run(IngestOptions.builder(src.resolve("nopath.csv").toString(), "d").limits(1 << 20, 1 << 20).build()));
            assertTrue(e.getMessage().contains("nopath.csv: no column 'path'"), e.getMessage());
            assertFalse(s.catalog().exists(LakelensTables.IMAGES), "nothing is written on a bad manifest");
            assertEquals("failed", s.spark().sql("SELECT status FROM lakelens.job_runs").first().getString(0));
        }
    }
}
