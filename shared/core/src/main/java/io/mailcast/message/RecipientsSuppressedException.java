package io.mailcast.message;

import java.util.List;

/** Every recipient of a message is on the suppression list: there is nobody to send it to. */
public final class RecipientsSuppressedException extends RuntimeException {

    /** @param recipients each as {@code address (reason)} */
    public RecipientsSuppressedException(List<String> recipients) {
        super("every recipient is on the suppression list: " + String.join(", ", recipients)
                + "; remove an address with `coordinator suppression remove` if it was added by mistake");
    }
}
