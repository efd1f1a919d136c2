package io.mailcast.store;

/** The store did not answer; the message says which one and what to do. */
public final class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
