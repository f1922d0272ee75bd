package io.lakelens.jobs.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes the dashboard as a static site: every page, the assets and the thumbnails, under one folder
 * that a browser opens from {@code file://} with no network. Files are replaced atomically, so a
 * browser reading the folder while it is rewritten never sees half a page.
 */
public final class SiteWriter {

    /** Thumbnails are decoded in batches of this many images, to bound the bytes held at once. */
    static final int THUMBNAIL_BATCH = 64;

    /** What was written. */
    public record Summary(Path root, int pages, int thumbnails) {
        public Path index() {
            return root.resolve(PagePaths.INDEX);
        }
    }

    private final DashboardData data;
    private final DashboardSite site;

    public SiteWriter(DashboardData data, DashboardSite site) {
        this.data = data;
        this.site = site;
    }

    public Summary write(Path root) throws IOException {
        Files.createDirectories(root);
        for (String asset : Assets.NAMES) {
            writeFile(root.resolve(PagePaths.ASSETS + asset), Assets.read(asset));
        }
        Pages.Index index = data.index();
        int pages = 0;
        Set<String> thumbnails = new LinkedHashSet<>();
        for (EvalRun run : index.evalRuns()) {
            Pages.RunPage page = data.runPage(run, index.trainingRuns());
            writePage(root, PagePaths.evalRun(run.runId()), site.run(page));
            page.images().stream().filter(ImageRef::hasContent).forEach(i -> thumbnails.add(i.imageId()));
            pages++;
        }
        for (TrainingRun run : index.trainingRuns()) {
            writePage(root, PagePaths.trainingRun(run.runId()), site.training(data.training(run, index.evalRuns())));
            pages++;
        }
        int written = writeThumbnails(root, thumbnails);
        // The index last: until it is replaced, the previous one links only to pages that exist.
        writePage(root, PagePaths.INDEX, site.index(index));
        return new Summary(root, pages + 1, written);
    }

    /** Thumbnails not written before: an image id is the hash of its bytes, so an existing file is current. */
    private int writeThumbnails(Path root, Set<String> imageIds) throws IOException {
        List<String> todo = new ArrayList<>();
        for (String id : imageIds) {
            if (!Files.exists(root.resolve(PagePaths.thumbnail(id)))) {
                todo.add(id);
            }
        }
        for (int from = 0; from < todo.size(); from += THUMBNAIL_BATCH) {
            List<String> batch = todo.subList(from, Math.min(todo.size(), from + THUMBNAIL_BATCH));
            var content = data.imageContent(batch);
            for (String id : batch) {
                byte[] bytes = content.get(id);
                writeFile(root.resolve(PagePaths.thumbnail(id)), bytes == null ? Thumbnails.placeholder() : Thumbnails.of(bytes));
            }
        }
        return todo.size();
    }

    private static void writePage(Path root, String path, String html) throws IOException {
        writeFile(root.resolve(path), html.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeFile(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), ".lakelens-", ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
