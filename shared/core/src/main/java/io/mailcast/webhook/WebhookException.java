package io.mailcast.webhook;

/** A report the receiver did not take: no connection, a timeout, or an answer other than 2xx. */
public final class WebhookException extends Exception {

    public WebhookException(String message) {
        super(message);
    }
}
