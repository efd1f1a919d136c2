package io.mailcast.engine;

import java.util.Map;

/** Per-recipient headers added to every message, such as List-Unsubscribe. */
@FunctionalInterface
public interface RecipientHeaders {

    RecipientHeaders NONE = (campaignId, subscriberId) -> Map.of();

    Map<String, String> forRecipient(String campaignId, long subscriberId);
}
