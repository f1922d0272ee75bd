package io.lakelens.models.checkpoint;

/**
 * A checkpoint that cannot be used: a missing or truncated file, a config of another architecture,
 * parameters that do not fit the model. The message is one line (or one line plus a list) that names
 * the file and the problem, fit to show a user without a stack trace.
 */
public class CheckpointException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
