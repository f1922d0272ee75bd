package io.lakelens.models.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubDownloadTest {
    private static final String REPO = "openai/clip-tiny";
    private static final String SPEC = "hf://" + REPO;

    @TempDir
    Path cache;

    private FakeHub hub;
    private Map<String, byte[]> files;

    @BeforeEach
    void startHub() throws IOException {
        hub = new FakeHub();
        files = new LinkedHashMap<>();
        files.put("config.json", "{\"model_type\":\"clip\"}".getBytes(StandardCharsets.UTF_8));
        files.put("model.safetensors", hub.randomBytes(300_000));
        files.put("tokenizer.json", "{\"version\":\"1.0\"}".getBytes(StandardCharsets.UTF_8));
        files.put("tokenizer_config.json", "{}".getBytes(StandardCharsets.UTF_8));
        files.put("preprocessor_config.json", "{\"crop_size\":224}".getBytes(StandardCharsets.UTF_8));
        files.put("README.md", "not needed".getBytes(StandardCharsets.UTF_8));
        files.put("pytorch_model.bin", hub.randomBytes(1000)); // present but not fetched: safetensors win
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    private HubOptions.Builder options() {
        return HubOptions.builder()
                .environment(Map.of()) // the machine's HF_* variables must not leak into tests
                .cacheDir(cache)
                .endpoint(hub.endpoint())
                .maxAttempts(3)
                .initialBackoff(Duration.ofMillis(1));
    }

    private Path repoDir() {
        return cache.resolve("models--openai--clip-tiny");
    }

    @Test
    void downloadsTheNeededFilesIntoAHuggingFaceHubStyleCache() throws IOException {
        String commit = hub.commit(REPO, "main", files);
        List<String> progress = new ArrayList<>();

        ResolvedModel model = ModelLocator.resolve(SPEC, options()
                .listener((file, done, total) -> progress.add(file + " " + done + "/" + total)).build());

        assertEquals("hf://" + REPO + "@" + commit, model.modelId());
        assertEquals(repoDir().resolve("snapshots").resolve(commit), model.folder());
        for (String name : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                "preprocessor_config.json")) {
            Path file = model.folder().resolve(name);
            assertArrayEquals(files.get(name), Files.readAllBytes(file), name);
            assertTrue(Files.isSymbolicLink(file), name + " should link into blobs/");
        }
        assertFalse(Files.exists(model.folder().resolve("README.md")));
        assertFalse(Files.exists(model.folder().resolve("pytorch_model.bin")));
        String weightsSha = FakeHub.sha256(files.get("model.safetensors"));
        assertEquals(repoDir().resolve("blobs").resolve(weightsSha), model.folder().resolve("model.safetensors").toRealPath());
        assertEquals(commit, Files.readString(repoDir().resolve("refs/main")));
        try (Stream<Path> blobs = Files.list(repoDir().resolve("blobs"))) {
            assertTrue(blobs.noneMatch(p -> p.toString().endsWith(".incomplete")));
        }
        assertTrue(progress.contains("model.safetensors 300000/300000"), progress.toString());
    }

    @Test
    void theTokenGoesToTheHubButNotToTheCdn() {
        hub.commit(REPO, "main", files);

        ModelLocator.resolve(SPEC, options().token("hf_secret").build());

        assertTrue(hub.requestsTo("hub").stream().allMatch(r -> "Bearer hf_secret".equals(r.authorization())));
        assertFalse(hub.requestsTo("cdn").isEmpty());
        assertTrue(hub.requestsTo("cdn").stream().allMatch(r -> r.authorization() == null));
    }

    @Test
    void aSecondResolveOfflineUsesTheCacheWithoutTouchingTheNetwork() {
        ResolvedModel first = resolveOnce();
        hub.requests.clear();

        ResolvedModel offline = ModelLocator.resolve(SPEC, options().offline(true).build());
        ResolvedModel viaEnv = ModelLocator.resolve(SPEC, options().environment(Map.of("HF_HUB_OFFLINE", "1")).build());

        assertEquals(first, offline);
        assertEquals(first, viaEnv);
        assertEquals(List.of(), hub.requests);
    }

    @Test
    void aSecondResolveOnlineOnlyAsksWhichCommitMainIs() {
        ResolvedModel first = resolveOnce();
        hub.requests.clear();

        ResolvedModel again = ModelLocator.resolve(SPEC, options().build());

        assertEquals(first, again);
        assertEquals(1, hub.requests.size(), hub.requests.toString());
        assertTrue(hub.requests.get(0).path().startsWith("/api/models/"));
    }

    @Test
    void aCommitShaResolvesOfflineWithoutARef() {
        String commit = resolveOnce().modelId().substring(SPEC.length() + 1);

        ResolvedModel byCommit = ModelLocator.resolve(SPEC + "@" + commit, options().offline(true).build());

        assertEquals("hf://" + REPO + "@" + commit, byCommit.modelId());
    }

    @Test
    void aCutDownloadResumesWithARangeRequest() throws IOException {
        hub.commit(REPO, "main", files);
        hub.cutsRemaining.set(1);
        int size = files.get("model.safetensors").length;

        ResolvedModel model = ModelLocator.resolve(SPEC, options().build());

        assertArrayEquals(files.get("model.safetensors"), Files.readAllBytes(model.folder().resolve("model.safetensors")));
        List<FakeHub.Request> cdn = hub.requestsTo("cdn");
        assertEquals(2, cdn.size(), cdn.toString());
        assertNull(cdn.get(0).range());
        assertResumedFromAPrefix(cdn.get(1).range(), size);
        assertTrue(hub.cdnBytesSent.get() < 2L * size, "sent " + hub.cdnBytesSent.get());
    }

    @Test
    void aPartialFileFromAnEarlierRunIsResumedToo() throws IOException {
        hub.commit(REPO, "main", files);
        byte[] weights = files.get("model.safetensors");
        hub.cutsRemaining.set(5); // more cuts than attempts: this run fails, keeping half the bytes
        ModelResolveException failed = assertThrows(ModelResolveException.class,
                () -> ModelLocator.resolve(SPEC, options().maxAttempts(1).build()));
        assertTrue(failed.getMessage().contains("run again to resume"), failed.getMessage());
        hub.cutsRemaining.set(0);
        hub.requests.clear();

        ResolvedModel model = ModelLocator.resolve(SPEC, options().build());

        assertArrayEquals(weights, Files.readAllBytes(model.folder().resolve("model.safetensors")));
        assertResumedFromAPrefix(hub.requestsTo("cdn").get(0).range(), weights.length);
    }

    @Test
    void transientHubErrorsAreRetried() {
        hub.commit(REPO, "main", files);
        hub.apiFailuresRemaining.set(2);

        ResolvedModel model = ModelLocator.resolve(SPEC, options().build());

        assertTrue(Files.isRegularFile(model.folder().resolve("config.json")));
    }

    @Test
    void aMissingRepoIsNamed() {
        hub.commit(REPO, "main", files);

        ModelResolveException e = assertThrows(ModelResolveException.class,
                () -> ModelLocator.resolve("hf://openai/no-such-model", options().build()));

        assertTrue(e.getMessage().startsWith("repo openai/no-such-model not found on " + hub.endpoint()), e.getMessage());
        assertTrue(e.getMessage().contains("HF_TOKEN"), e.getMessage());
    }

    @Test
    void aMissingRevisionIsNamed() {
        hub.commit(REPO, "main", files);

        ModelResolveException e = assertThrows(ModelResolveException.class,
                () -> ModelLocator.resolve(SPEC + "@v9", options().build()));

        assertTrue(e.getMessage().startsWith("revision 'v9' not found in hf://" + REPO), e.getMessage());
    }

    @Test
    void aCorruptDownloadFailsNamingTheFileAndLeavesNothingBehind() throws IOException {
        String commit = hub.commit(REPO, "main", files);
        String sha = FakeHub.sha256(files.get("model.safetensors"));
        hub.corrupted.add(sha);

        ModelResolveException e = assertThrows(ModelResolveException.class, () -> ModelLocator.resolve(SPEC, options().build()));

        assertTrue(e.getMessage().startsWith("model.safetensors of hf://" + REPO + "@" + commit + " is corrupt"), e.getMessage());
        assertTrue(e.getMessage().contains("expected sha256 " + sha + ", got "), e.getMessage());
        assertFalse(Files.exists(repoDir().resolve("snapshots").resolve(commit).resolve("config.json")));
        assertFalse(Files.exists(repoDir().resolve("snapshots")), "nothing may be linked into snapshots/");
        assertFalse(Files.exists(repoDir().resolve("blobs").resolve(sha)));
        assertFalse(Files.exists(repoDir().resolve("blobs").resolve(sha + ".incomplete")));
        assertFalse(Files.exists(repoDir().resolve("refs/main")));
    }

    @Test
    void offlineAndNotCachedSaysHowToGetTheModel() {
        ModelResolveException e = assertThrows(ModelResolveException.class,
                () -> ModelLocator.resolve(SPEC, options().environment(Map.of("LAKELENS_OFFLINE", "true")).build()));

        assertEquals("model hf://openai/clip-tiny is not in the cache (" + cache + ") and offline mode is on; "
                + "download it on a machine with internet (lakelens model download hf://openai/clip-tiny) and copy its "
                + "cache folder models--openai--clip-tiny into " + cache + ", or pass a local folder with --model",
                e.getMessage());
        assertEquals(List.of(), hub.requests);
    }

    @Test
    void anUnreachableHubFallsBackToTheCache() throws IOException {
        ResolvedModel first = resolveOnce();
        String deadEndpoint = "http://127.0.0.1:" + closedPort();

        ResolvedModel fallback = ModelLocator.resolve(SPEC, options().endpoint(deadEndpoint).build());

        assertEquals(first, fallback);
    }

    @Test
    void anUnreachableHubWithoutACacheSaysSo() throws IOException {
        String deadEndpoint = "http://127.0.0.1:" + closedPort();

        ModelResolveException e = assertThrows(ModelResolveException.class,
                () -> ModelLocator.resolve(SPEC, options().endpoint(deadEndpoint).build()));

        assertTrue(e.getMessage().startsWith("cannot reach the Hub at " + deadEndpoint + " ("), e.getMessage());
        assertTrue(e.getMessage().contains("is not in the cache (" + cache + ")"), e.getMessage());
        assertTrue(e.getMessage().contains("lakelens model download " + SPEC), e.getMessage());
    }

    @Test
    void onlyPytorchWeightsIsRefusedBeforeAnyDownload() {
        files.remove("model.safetensors");
        hub.commit(REPO, "main", files);

        ModelResolveException e = assertThrows(ModelResolveException.class, () -> ModelLocator.resolve(SPEC, options().build()));

        assertTrue(e.getMessage().startsWith("hf://" + REPO + " has only pytorch_model.bin weights and lakelens reads "
                + "safetensors only"), e.getMessage());
        assertTrue(e.getMessage().contains("hf://" + REPO + "@refs/pr/N"), e.getMessage());
        assertEquals(1, hub.requests.size(), "only the revision lookup: " + hub.requests);
        assertFalse(Files.exists(repoDir().resolve("blobs")));
    }

    @Test
    void shardedWeightsBringEveryShard() throws IOException {
        files.remove("model.safetensors");
        files.put("model.safetensors.index.json", ("{\"metadata\":{\"total_size\":1},\"weight_map\":{"
                + "\"a.weight\":\"model-00001-of-00002.safetensors\",\"b.weight\":\"model-00002-of-00002.safetensors\","
                + "\"c.weight\":\"model-00001-of-00002.safetensors\"}}").getBytes(StandardCharsets.UTF_8));
        files.put("model-00001-of-00002.safetensors", hub.randomBytes(120_000));
        files.put("model-00002-of-00002.safetensors", hub.randomBytes(80_000));
        hub.commit(REPO, "refs/pr/7", files);

        ResolvedModel model = ModelLocator.resolve(SPEC + "@refs/pr/7", options().build());

        for (String name : List.of("model.safetensors.index.json", "model-00001-of-00002.safetensors",
                "model-00002-of-00002.safetensors")) {
            assertArrayEquals(files.get(name), Files.readAllBytes(model.folder().resolve(name)), name);
        }
        assertTrue(Files.isRegularFile(repoDir().resolve("refs/refs/pr/7")));
        assertEquals(model, ModelLocator.resolve(SPEC + "@refs/pr/7", options().offline(true).build()));
    }

    @Test
    void gatedReposAskForAToken() {
        hub.commit(REPO, "main", files);
        hub.gated.add(REPO);

        ModelResolveException withoutToken = assertThrows(ModelResolveException.class,
                () -> ModelLocator.resolve(SPEC, options().build()));
        ModelResolveException badToken = assertThrows(ModelResolveException.class,
                () -> ModelLocator.resolve(SPEC, options().environment(Map.of("HF_TOKEN", "hf_bad")).build()));
        ResolvedModel model = ModelLocator.resolve(SPEC, options().environment(Map.of("HF_TOKEN", FakeHub.GOOD_TOKEN)).build());

        assertTrue(withoutToken.getMessage().startsWith("access to hf://" + REPO + " denied (HTTP 401): the repo is gated;"),
                withoutToken.getMessage());
        assertTrue(withoutToken.getMessage().contains("set HF_TOKEN"), withoutToken.getMessage());
        assertTrue(badToken.getMessage().contains("HF_TOKEN is set but was refused"), badToken.getMessage());
        assertTrue(Files.isRegularFile(model.folder().resolve("model.safetensors")));
    }

    @Test
    void aListedFileTheHubCannotServeIsNamed() {
        String commit = hub.commit(REPO, "main", files);
        hub.unservable.add("tokenizer.json");

        ModelResolveException e = assertThrows(ModelResolveException.class, () -> ModelLocator.resolve(SPEC, options().build()));

        assertTrue(e.getMessage().startsWith("file tokenizer.json of hf://" + REPO + "@" + commit + " not found on the Hub "
                + "(HTTP 404)"), e.getMessage());
    }

    @Test
    void concurrentResolvesShareOneDownload() throws Exception {
        hub.commit(REPO, "main", files);
        HubOptions options = options().build();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<ResolvedModel>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> ModelLocator.resolve(SPEC, options)));
            }
            ResolvedModel first = results.get(0).get(10, TimeUnit.SECONDS);
            for (Future<ResolvedModel> result : results) {
                assertEquals(first, result.get(10, TimeUnit.SECONDS));
            }
            assertArrayEquals(files.get("model.safetensors"), Files.readAllBytes(first.folder().resolve("model.safetensors")));
            assertEquals(files.get("model.safetensors").length, hub.cdnBytesSent.get(), "the weights were sent once");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The server sends half the file before cutting, but a dropped connection may lose some of what
     * was in flight, so the client resumes from whatever prefix it got.
     */
    private static void assertResumedFromAPrefix(String range, int size) {
        assertTrue(range != null && range.matches("bytes=\\d+-"), "expected a Range request, got " + range);
        long from = Long.parseLong(range.substring("bytes=".length(), range.length() - 1));
        assertTrue(from > 0 && from <= size / 2, "resumed from byte " + from + " of " + size);
    }

    private ResolvedModel resolveOnce() {
        hub.commit(REPO, "main", files);
        return ModelLocator.resolve(SPEC, options().build());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
