package io.lakelens.jobs;

/**
 * A problem the user can fix (bad argument, bad input file, missing table): the CLI prints its
 * message alone, without a stack trace, and exits with status 1.
 */
public class LakelensException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LakelensException(String message) {
        super(message);
    }

    public LakelensException(String message, Throwable cause) {
        super(message, cause);
    }
}
