package io.lakelens.jobs.dashboard;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Renders dashboard pages from {@link Pages} records with the Pebble templates in
 * {@code io/lakelens/dashboard/}. Pure: no Spark, no files; autoescaping is on, so every value from
 * the tables (captions, labels, parameters come from users) is HTML-escaped.
 */
public final class DashboardSite {

    private static final String TEMPLATES = "io/lakelens/dashboard/";

    private final PebbleEngine engine;
    private final boolean live;

    /** @param live whether pages are served live ({@code --serve}) rather than written once; the header says which */
    public DashboardSite(boolean live) {
        ClasspathLoader loader = new ClasspathLoader(DashboardSite.class.getClassLoader());
        loader.setPrefix(TEMPLATES);
        this.engine = new PebbleEngine.Builder()
                .loader(loader)
                .autoEscaping(true)
                .strictVariables(true)
                .extension(new TemplateFunctions(live))
                .build();
        this.live = live;
    }

    public String index(Pages.Index page) {
        return render("index.peb", "", Map.of("page", page));
    }

    public String run(Pages.RunPage page) {
        String template;
        if (page instanceof Pages.ZeroShot) {
            template = "zeroshot.peb";
        } else if (page instanceof Pages.Captions) {
            template = "captions.peb";
        } else if (page instanceof Pages.Retrieval) {
            template = "retrieval.peb";
        } else {
            template = "metrics.peb";
        }
        return render(template, "../", Map.of("page", page, "run", page.run()));
    }

    public String training(Pages.Training page) {
        return render("training.peb", "../", Map.of("page", page, "run", page.run()));
    }

    /** A page for a missing run or image; {@code root} is the way back to the site's root ("" or "../"). */
    public String notFound(String message, String root) {
        return render("notfound.peb", root, Map.of("message", message));
    }

    private String render(String template, String root, Map<String, Object> vars) {
        Map<String, Object> context = new HashMap<>(vars);
        context.put("root", root);
        context.put("live", live);
        context.put("generatedAt", Instant.now());
        StringWriter out = new StringWriter();
        try {
            engine.getTemplate(template).evaluate(out, context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
