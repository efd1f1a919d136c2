package io.mailcast.message;

/** From is in a domain the API key was not created for. */
public final class SenderNotAllowedException extends RuntimeException {

    public SenderNotAllowedException(String domain) {
        super("this API key may not send from " + domain + "; create a key with --domains " + domain);
    }
}
