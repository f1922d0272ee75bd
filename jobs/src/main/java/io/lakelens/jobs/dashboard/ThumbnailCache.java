package io.lakelens.jobs.dashboard;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Thumbnails for the live server, kept in memory. An image id is the hash of the image's bytes, so a
 * cached thumbnail never goes stale. A page's thumbnails are loaded in one query when the page is
 * served ({@link #prefetch}), not one query per image request.
 */
final class ThumbnailCache {

    private final DashboardData data;
    private final Map<String, byte[]> cache;

    ThumbnailCache(DashboardData data, int maxEntries) {
        this.data = data;
        this.cache = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** Loads the thumbnails of these images that are not cached yet. */
    void prefetch(Collection<String> imageIds) {
        List<String> missing = new ArrayList<>();
        synchronized (cache) {
            for (String id : imageIds) {
                if (!cache.containsKey(id)) {
                    missing.add(id);
                }
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        Map<String, byte[]> content = data.imageContent(missing);
        Map<String, byte[]> made = new LinkedHashMap<>();
        content.forEach((id, bytes) -> made.put(id, Thumbnails.of(bytes)));
        synchronized (cache) {
            cache.putAll(made);
        }
    }

    /** The thumbnail, or null when the image has no stored bytes. */
    byte[] get(String imageId) {
        prefetch(List.of(imageId));
        synchronized (cache) {
            return cache.get(imageId);
        }
    }
}
