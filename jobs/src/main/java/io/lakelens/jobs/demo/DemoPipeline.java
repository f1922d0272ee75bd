package io.lakelens.jobs.demo;

import io.lakelens.jobs.caption.CaptionJob;
import io.lakelens.jobs.dashboard.DashboardData;
import io.lakelens.jobs.dashboard.DashboardSite;
import io.lakelens.jobs.dashboard.SiteWriter;
import io.lakelens.jobs.embed.EmbedJob;
import io.lakelens.jobs.inference.ChunkedImageJob;
import io.lakelens.jobs.ingest.IngestJob;
import io.lakelens.jobs.ingest.IngestOptions;
import io.lakelens.jobs.ingest.IngestResult;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.zeroshot.ZeroShotJob;
import io.lakelens.models.generation.GenerationConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The main path on the bundled samples, as one command: ingest → embed → caption → zero-shot report
 * → dashboard. Every step is the ordinary job, so a second run adds nothing and is quick.
 */
public final class DemoPipeline {

    private final LakelensSession session;
    private final PrintStream out;

    public DemoPipeline(LakelensSession session, PrintStream out) {
        this.session = session;
        this.out = out;
    }

    /** Runs the pipeline; returns the dashboard's index page. */
    public Path run(Path samples, DemoModels.Choice models) throws IOException {
        Path manifest = samples.resolve("manifest.jsonl");
        String dataset = "samples";

        step("1/5 ingest " + manifest);
        IngestResult in = new IngestJob(session).run(
                IngestOptions.builder(manifest.toString(), dataset).captions("captions").build());
        out.println(in.summary());

        step("2/5 embed with " + models.clip());
        EmbedJob.Options embed = new EmbedJob.Options(dataset, models.clip(), "auto", 16, 1024, false);
        out.println(new EmbedJob(session).run(embed, out).summary("embed"));

        step("3/5 caption with " + models.blip());
        ChunkedImageJob.Result c = new CaptionJob(session).run(new CaptionJob.Options(dataset, models.blip(), "auto",
                GenerationConfig.defaults().toBuilder().maxNewTokens(20).build(), 8, 1024, false), out);
        out.println(c.summary("caption"));

        step("4/5 zero-shot report over " + samples.resolve("labels.txt"));
        ZeroShotJob.Result z = new ZeroShotJob(session).run(new ZeroShotJob.Options(dataset, models.clip(),
                samples.resolve("labels.txt").toString(), models.note() == null ? "imagenet80" : "single", 5, embed,
                models.note()), out);
        out.println("report: " + z.reportFolder() + "/report.md");

        step("5/5 dashboard");
        Path root = session.warehouse().localRoot().resolve("dashboard");
        SiteWriter.Summary site = new SiteWriter(new DashboardData(session, DashboardData.DEFAULT_GALLERY_LIMIT),
                new DashboardSite(false)).write(root);
        out.println("dashboard: " + site.index().toAbsolutePath().toUri());
        if (models.note() != null) {
            out.println();
            out.println(models.note());
        }
        out.flush();
        return site.index();
    }

    private void step(String what) {
        out.println();
        out.println("== " + what);
        out.flush();
    }
}
