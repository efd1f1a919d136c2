package io.mailcast.message;

import io.mailcast.suppression.SuppressionReason;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Every recipient of a message is on the suppression list: there is nobody to send it to. */
public final class RecipientsSuppressedException extends RuntimeException {

    /** @param recipients each recipient as written, with why it is suppressed */
    public RecipientsSuppressedException(Map<String, SuppressionReason> recipients) {
        super("every recipient is on the suppression list: " + recipients.entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue().name().toLowerCase(Locale.ROOT) + ")")
                .collect(Collectors.joining(", "))
                + "; remove an address with `coordinator suppression remove` if it was added by mistake");
    }
}
