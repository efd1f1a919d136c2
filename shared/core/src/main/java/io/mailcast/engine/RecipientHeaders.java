package io.mailcast.engine;

import io.mailcast.subscriber.SubscriberId;

import java.util.Map;

/** Per-recipient headers added to every message, such as List-Unsubscribe. */
@FunctionalInterface
public interface RecipientHeaders {

    RecipientHeaders NONE = (campaignId, subscriberId) -> Map.of();

    Map<String, String> forRecipient(String campaignId, SubscriberId subscriberId);
}
