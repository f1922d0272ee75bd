package io.lakelens.models.hub;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@code hf://ORG/NAME@REVISION} into a complete snapshot folder in the cache: asks the Hub
 * which commit the revision is and which files it has, downloads the ones lakelens needs and links
 * them into {@code snapshots/COMMIT}. Offline, or when the Hub cannot be reached, it uses the
 * commit the revision pointed at last time.
 */
final class HubModelResolver {
    private static final Logger LOG = LoggerFactory.getLogger(HubModelResolver.class);

    private final HubOptions options;

    HubModelResolver(HubOptions options) {
        this.options = options;
    }

    ResolvedModel resolve(ModelSpec.Hub spec) {
        HubCache cache = new HubCache(options.cacheDir(), spec.repoId());
        if (options.offline()) {
            return cached(spec, cache).orElseThrow(() -> HubErrors.notCachedOffline(spec, options.cacheDir()));
        }
        HubClient client = new HubClient(options);
        Retry retry = new Retry(options.maxAttempts(), options.initialBackoff());
        HubClient.RevisionInfo info;
        try {
            info = retry.run("lookup of " + spec.display(), () -> client.revision(spec.repoId(), spec.revision()));
        } catch (HubHttpException e) {
            if (!e.isTransient()) {
                throw HubErrors.revisionLookup(spec, e, client.endpoint(), options.token().isPresent());
            }
            return fallBackToCache(spec, cache, "it answered HTTP " + e.status());
        } catch (IOException e) {
            return fallBackToCache(spec, cache, Retry.describe(e));
        }
        return new SnapshotFetch(spec, cache, info, client, retry).run();
    }

    /** The cached snapshot of the commit this revision last resolved to, if it is complete. */
    private static Optional<ResolvedModel> cached(ModelSpec.Hub spec, HubCache cache) {
        return cache.commitFor(spec.revision())
                .filter(cache::isComplete)
                .map(commit -> resolved(spec, cache, commit));
    }

    private ResolvedModel fallBackToCache(ModelSpec.Hub spec, HubCache cache, String reason) {
        ResolvedModel model = cached(spec, cache)
                .orElseThrow(() -> HubErrors.unreachable(spec, options.endpoint(), reason, options.cacheDir()));
        LOG.warn("cannot reach the Hub at {} ({}); using the cached {}", options.endpoint(), reason, model.modelId());
        return model;
    }

    private static ResolvedModel resolved(ModelSpec.Hub spec, HubCache cache, String commit) {
        return new ResolvedModel(cache.snapshot(commit), ModelSpec.HF_SCHEME + spec.repoId() + "@" + commit);
    }

    /** One online resolution: the files of one commit, fetched and linked. */
    private final class SnapshotFetch {
        private final ModelSpec.Hub spec;
        private final HubCache cache;
        private final HubClient.RevisionInfo info;
        private final HubClient client;
        private final Retry retry;
        private final BlobDownloader downloader;
        private final String where;
        // Files fetched in this run, to be linked into the snapshot once all are verified.
        private final Map<String, String> etagByFile = new LinkedHashMap<>();

        SnapshotFetch(ModelSpec.Hub spec, HubCache cache, HubClient.RevisionInfo info, HubClient client, Retry retry) {
            this.spec = spec;
            this.cache = cache;
            this.info = info;
            this.client = client;
            this.retry = retry;
            this.downloader = new BlobDownloader(client, retry, options.listener());
            this.where = spec.withRevision(info.commit());
        }

        ResolvedModel run() {
            ModelFiles.Selection selection = ModelFiles.select(info.files(), spec.display(), safetensorsRemedy());
            for (String file : selection.files()) {
                fetch(file);
            }
            if (selection.weightsIndex() != null) {
                for (String shard : ModelFiles.shards(read(selection.weightsIndex()), info.files(), spec.display())) {
                    fetch(shard);
                }
            }
            try {
                linkSnapshot();
                cache.writeRef(spec.revision(), info.commit());
            } catch (IOException e) {
                throw HubErrors.cacheFailed(options.cacheDir(), e);
            }
            return resolved(spec, cache, info.commit());
        }

        private void fetch(String file) {
            if (Files.isRegularFile(cache.snapshot(info.commit()).resolve(file))) {
                return;
            }
            URI uri = client.fileUri(spec.repoId(), info.commit(), file);
            try {
                HubClient.FileMetadata meta = retry.run("metadata of " + file + " of " + where, () -> client.metadata(uri));
                downloader.fetch(cache, uri, meta, file, where);
                etagByFile.put(file, meta.etag());
            } catch (HubHttpException e) {
                throw HubErrors.file(file, where, spec, e, client.endpoint(), options.token().isPresent());
            } catch (IOException e) {
                throw HubErrors.downloadFailed(file, where, e, retry.maxAttempts(), options.cacheDir());
            }
        }

        private byte[] read(String file) {
            String etag = etagByFile.get(file);
            Path path = etag != null ? cache.blob(etag) : cache.snapshot(info.commit()).resolve(file);
            try {
                return Files.readAllBytes(path);
            } catch (IOException e) {
                throw HubErrors.cacheFailed(options.cacheDir(), e);
            }
        }

        /** config.json goes last, so a snapshot with config.json never lacks a file fetched with it. */
        private void linkSnapshot() throws IOException {
            for (Map.Entry<String, String> entry : etagByFile.entrySet()) {
                if (!entry.getKey().equals(ModelFiles.CONFIG)) {
                    cache.link(info.commit(), entry.getKey(), entry.getValue());
                }
            }
            String configEtag = etagByFile.get(ModelFiles.CONFIG);
            if (configEtag != null) {
                cache.link(info.commit(), ModelFiles.CONFIG, configEtag);
            }
        }

        private String safetensorsRemedy() {
            return "use a revision that has them: for many models the Hub's conversion bot has opened a pull request "
                    + "with safetensors weights, usable as hf://" + spec.repoId() + "@refs/pr/N (see the Community tab of "
                    + client.endpoint() + "/" + spec.repoId() + ")";
        }
    }
}
