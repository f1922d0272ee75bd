package io.lakelens.models.hub;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/** The one-line messages for what can go wrong between lakelens and the Hub, in one place. */
final class HubErrors {
    private HubErrors() { }

    /** The revision lookup got an answer that is not a transient failure. */
    static ModelResolveException revisionLookup(ModelSpec.Hub spec, HubHttpException e, URI endpoint, boolean hasToken) {
        String code = e.errorCode() == null ? "" : e.errorCode();
        int status = e.status();
        if (code.equals("RevisionNotFound")) {
            return new ModelResolveException("revision '" + spec.revision() + "' not found in hf://" + spec.repoId()
                    + " (HTTP " + status + "); check the branch, tag or commit sha (the default is main)");
        }
        if (code.equals("RepoNotFound")) {
            return new ModelResolveException("repo " + spec.repoId() + " not found on " + endpoint + " (HTTP " + status
                    + ", for " + spec.display() + "); check the spelling" + (hasToken
                    ? ", and that HF_TOKEN's account can see it if it is private"
                    : ", or set HF_TOKEN to a read token if it is private"));
        }
        if (status == 401 || status == 403) {
            return accessDenied(spec.display(), spec.repoId(), status, code, endpoint, hasToken);
        }
        if (status == 404) {
            return new ModelResolveException(spec.display() + " not found on " + endpoint
                    + " (HTTP 404): the repo or the revision '" + spec.revision() + "' does not exist; check both"
                    + (hasToken ? "" : ", and set HF_TOKEN if the repo is private"));
        }
        return new ModelResolveException("the Hub at " + endpoint + " answered HTTP " + status + " for " + spec.display()
                + serverSays(e));
    }

    /** Fetching a file the repo lists failed with an HTTP answer. */
    static ModelResolveException file(String file, String where, ModelSpec.Hub spec, HubHttpException e, URI endpoint,
            boolean hasToken) {
        int status = e.status();
        if (status == 404) {
            return new ModelResolveException("file " + file + " of " + where + " not found on the Hub (HTTP 404) though the "
                    + "repo lists it" + serverSays(e));
        }
        if (status == 401 || status == 403) {
            return accessDenied(file + " of " + where, spec.repoId(), status, e.errorCode(), endpoint, hasToken);
        }
        return new ModelResolveException("HTTP " + status + " while downloading " + file + " of " + where + serverSays(e)
                + (e.isTransient() ? "; the Hub may be busy, run again later to resume" : ""));
    }

    /** Fetching a file failed with connection errors after every retry. */
    static ModelResolveException downloadFailed(String file, String where, IOException e, int attempts, Path cacheRoot) {
        return new ModelResolveException("download of " + file + " of " + where + " failed after " + attempts
                + (attempts == 1 ? " attempt (" : " attempts (") + Retry.describe(e)
                + "); run again to resume, the partial file is kept in " + cacheRoot, e);
    }

    static ModelResolveException cacheFailed(Path cacheRoot, IOException e) {
        return new ModelResolveException("cannot use the model cache " + cacheRoot + " (" + Retry.describe(e)
                + "); check free space and permissions, or set LAKELENS_HUB_CACHE to another folder", e);
    }

    static ModelResolveException notCachedOffline(ModelSpec.Hub spec, Path cacheRoot) {
        return new ModelResolveException("model " + spec.display() + " is not in the cache (" + cacheRoot
                + ") and offline mode is on; " + howToGetIt(spec, cacheRoot));
    }

    static ModelResolveException unreachable(ModelSpec.Hub spec, URI endpoint, String reason, Path cacheRoot) {
        return new ModelResolveException("cannot reach the Hub at " + endpoint + " (" + reason + ") and model "
                + spec.display() + " is not in the cache (" + cacheRoot + "); check the network, proxy or HF_ENDPOINT, or "
                + howToGetIt(spec, cacheRoot));
    }

    private static String howToGetIt(ModelSpec.Hub spec, Path cacheRoot) {
        return "download it on a machine with internet (lakelens model download " + spec.display()
                + ") and copy its cache folder models--" + spec.repoId().replace("/", "--") + " into " + cacheRoot
                + ", or pass a local folder with --model";
    }

    private static ModelResolveException accessDenied(String what, String repoId, int status, String code, URI endpoint,
            boolean hasToken) {
        boolean gated = "GatedRepo".equals(code);
        String reason = gated ? "the repo is gated" : "the repo is private or gated";
        String fix = hasToken
                ? "HF_TOKEN is set but was refused: check that it is valid and that its account has access"
                        + (gated ? " (accept the terms at " + endpoint + "/" + repoId + ")" : "")
                : "accept its terms at " + endpoint + "/" + repoId + " if it has any, then set HF_TOKEN to a read token"
                        + " of that account";
        return new ModelResolveException("access to " + what + " denied (HTTP " + status + "): " + reason + "; " + fix);
    }

    private static String serverSays(HubHttpException e) {
        return e.serverMessage() == null ? "" : ": " + e.serverMessage();
    }
}
