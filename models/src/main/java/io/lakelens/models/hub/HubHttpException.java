package io.lakelens.models.hub;

import java.io.IOException;
import java.net.URI;

/**
 * The Hub answered with an error status. {@code errorCode} is the Hub's {@code X-Error-Code}
 * header (RepoNotFound, RevisionNotFound, EntryNotFound, GatedRepo), which is how it tells a
 * missing repo from a missing revision; null when absent (mirrors, CDNs).
 */
final class HubHttpException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String errorCode;
    private final String serverMessage;

    HubHttpException(URI uri, int status, String errorCode, String serverMessage) {
        super("HTTP " + status + (errorCode == null ? "" : " " + errorCode) + " from " + uri
                + (serverMessage == null ? "" : ": " + serverMessage));
        this.status = status;
        this.errorCode = errorCode;
        this.serverMessage = serverMessage;
    }

    int status() { return status; }
    String errorCode() { return errorCode; }
    String serverMessage() { return serverMessage; }

    /** Worth another try: the server or a proxy in front of it failed, or asked us to slow down. */
    boolean isTransient() {
        return status >= 500 || status == 429;
    }
}
