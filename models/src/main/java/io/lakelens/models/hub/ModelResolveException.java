package io.lakelens.models.hub;

/**
 * The one error {@link ModelLocator} throws. Its message is a single line meant for the user: it
 * names the spec or file and says what to do, so the CLI prints it as is, without a stack trace.
 */
public final class ModelResolveException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelResolveException(String message) {
        super(message);
    }

    public ModelResolveException(String message, Throwable cause) {
        super(message, cause);
    }
}
