package io.lakelens.jobs.bench;

import io.lakelens.jobs.embed.EmbedJob;
import io.lakelens.jobs.inference.ChunkedImageJob;
import io.lakelens.jobs.ingest.IngestJob;
import io.lakelens.jobs.ingest.IngestOptions;
import io.lakelens.jobs.ingest.IngestResult;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.models.bench.RandomClipCheckpoint;
import io.lakelens.models.clip.ClipEmbedder;
import io.lakelens.models.runtime.ComputeDevice;
import io.lakelens.models.runtime.TorchRuntime;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * The embed job's end-to-end speed on real image files (read from Delta, decoded, resized, embedded
 * with CLIP ViT-B/32 random weights, committed) next to the model's own speed on ready tensors in
 * the same JVM, at the same batch size: the difference is what the pipeline costs.
 */
public final class EmbedPipelineBenchmark {

    private final LakelensSession session;
    private final PrintStream out;

    public EmbedPipelineBenchmark(LakelensSession session, PrintStream out) {
        this.session = session;
        this.out = out;
    }

    /**
     * @param images a folder of images or a manifest
     * @param work a scratch folder for the random checkpoint
     * @param batchSize images per model call, for the job and the model-only figure
     * @param modelRuns timed model-only batches (median)
     */
    public void run(Path images, Path work, int batchSize, int modelRuns) throws IOException {
        out.println("== writing a random CLIP ViT-B/32 checkpoint");
        Path model = RandomClipCheckpoint.writeVitB32(work.resolve("clip-vit-b32-random"));

        out.println("== ingest " + images);
        boolean manifest = images.getFileName().toString().matches(".*\\.(jsonl|json|csv|parquet)$");
        IngestResult in = new IngestJob(session).run(IngestOptions.builder(images.toString(), "bench")
                .labels(manifest ? IngestOptions.LabelSource.COLUMN : IngestOptions.LabelSource.FOLDER, "label")
                .fullDecode(false).build());
        out.println(in.summary());

        out.println("== embed job, batch " + batchSize);
        ChunkedImageJob.Result job = new EmbedJob(session).run(
                new EmbedJob.Options("bench", model.toString(), "cpu", batchSize, 1_000_000, false), out);
        out.println(job.summary("embed"));

        out.println("== model only (same JVM, ready tensors, batch " + batchSize + ")");
        double modelOnly = modelOnly(model, batchSize, modelRuns);
        double endToEnd = job.imagesPerSecond();
        out.printf(Locale.ROOT, "%nembed job end to end: %8.1f images/s (%d images, %.1f s; Spark local mode, %d cores)%n",
                endToEnd, job.written() + job.quarantinedNow(), job.seconds(), Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "model only:           %8.1f images/s (ClipEmbedder.embedImages, %d threads)%n",
                modelOnly, Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "pipeline overhead:    %8.1f %% of the model-only speed lost%n",
                100 * (1 - endToEnd / modelOnly));
        out.println("load average: " + String.format(Locale.ROOT, "%.2f",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    }

    private static double modelOnly(Path folder, int batch, int runs) {
        TorchRuntime.start(Runtime.getRuntime().availableProcessors());
        try (ClipEmbedder clip = ClipEmbedder.load(folder, ComputeDevice.cpu())) {
            float[] pixels = new float[batch * clip.config().vision().pixelsPerImage()];
            Random random = new Random(1);
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) random.nextGaussian();
            }
            clip.embedImages(pixels, batch);
            double[] seconds = new double[runs];
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                clip.embedImages(pixels, batch);
                seconds[r] = (System.nanoTime() - t0) / 1e9;
            }
            Arrays.sort(seconds);
            return batch / seconds[runs / 2];
        }
    }
}
