package io.mailcast.bounce;

import java.util.Objects;

/**
 * What a VERP address stands for: the message of this campaign to this subscriber. The address it went to is looked up
 * from the delivery, not carried, so that a bounce can only ever suppress the address that was mailed.
 *
 * @param subscriberKey the subscriber's id as text ({@code SubscriberId.key()})
 */
public record BounceToken(String campaignId, String subscriberKey) {

    public BounceToken {
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(subscriberKey, "subscriberKey");
    }
}
