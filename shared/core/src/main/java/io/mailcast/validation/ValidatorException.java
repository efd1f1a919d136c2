package io.mailcast.validation;

/**
 * The validator gave no verdict (a timeout, a 5xx, an answer that cannot be read). Retryable, and never cached: the
 * address has not been checked.
 */
public final class ValidatorException extends Exception {

    private static final long serialVersionUID = 1L;

    public ValidatorException(String message) {
        super(message);
    }

    public ValidatorException(String message, Throwable cause) {
        super(message, cause);
    }
}
