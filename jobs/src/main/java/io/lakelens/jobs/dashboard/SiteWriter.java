package io.lakelens.jobs.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes the dashboard as a static site: every page, the assets and the thumbnails, under one folder
 * that a browser opens from {@code file://} with no network. Files are replaced atomically, so a
 * browser reading the folder while it is rewritten never sees half a page.
 */
public final class SiteWriter {

    /** Thumbnails are decoded in batches of this many images, to bound the bytes held at once. */
    static final int THUMBNAIL_BATCH = 64;

    /**
     * Pages built at once. Each page is a few small Spark queries whose time goes mostly to the
     * driver's planning and Delta log reads, which overlap well even on few cores.
     */
    static final int THREADS = 4;

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
        List<Callable<List<ImageRef>>> pages = new ArrayList<>();
        for (EvalRun run : index.evalRuns()) {
            pages.add(() -> {
                Pages.RunPage page = data.runPage(run);
                writePage(root, PagePaths.evalRun(run.runId()), site.run(page));
                return page.images();
            });
        }
        for (TrainingRun run : index.trainingRuns()) {
            pages.add(() -> {
                writePage(root, PagePaths.trainingRun(run.runId()), site.training(data.training(run)));
                return List.of();
            });
        }
        Set<String> thumbnails = new LinkedHashSet<>();
        for (List<ImageRef> images : runAll(pages)) {
            images.stream().filter(ImageRef::hasContent).forEach(i -> thumbnails.add(i.imageId()));
        }
        int written = writeThumbnails(root, thumbnails);
        // The index last: until it is replaced, the previous one links only to pages that exist.
        writePage(root, PagePaths.INDEX, site.index(index));
        return new Summary(root, pages.size() + 1, written);
    }

    /** Thumbnails not written before: an image id is the hash of its bytes, so an existing file is current. */
    private int writeThumbnails(Path root, Set<String> imageIds) throws IOException {
        List<String> todo = new ArrayList<>();
        for (String id : imageIds) {
            if (!Files.exists(root.resolve(PagePaths.thumbnail(id)))) {
                todo.add(id);
            }
        }
        List<Callable<List<ImageRef>>> batches = new ArrayList<>();
        for (int from = 0; from < todo.size(); from += THUMBNAIL_BATCH) {
            List<String> batch = todo.subList(from, Math.min(todo.size(), from + THUMBNAIL_BATCH));
            batches.add(() -> {
                Map<String, byte[]> content = data.imageContent(batch);
                for (String id : batch) {
                    byte[] bytes = content.get(id);
                    writeFile(root.resolve(PagePaths.thumbnail(id)),
                            bytes == null ? Thumbnails.placeholder() : Thumbnails.of(bytes));
                }
                return List.of();
            });
        }
        runAll(batches);
        return todo.size();
    }

    private static <T> List<T> runAll(List<Callable<T>> tasks) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<T> out = new ArrayList<>();
            for (Future<T> f : pool.invokeAll(tasks)) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing the dashboard", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
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
