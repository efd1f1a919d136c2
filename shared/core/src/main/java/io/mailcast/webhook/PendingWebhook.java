package io.mailcast.webhook;

import io.mailcast.message.StoredMessage;

/**
 * A message whose outcome is to be reported, claimed by one node.
 *
 * @param message the message as it is now (status, bounces), the report's content
 * @param attempt deliveries of this report so far, this one included; the claim is fenced by owner and attempt
 * @param owner   the node holding the claim
 */
public record PendingWebhook(StoredMessage message, int attempt, String owner) {
}
