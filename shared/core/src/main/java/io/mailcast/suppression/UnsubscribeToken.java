package io.mailcast.suppression;

import java.util.Objects;

/**
 * What an unsubscribe link stands for: this recipient of this campaign. The signed form binds all three, so a link
 * cannot be turned against another address, subscriber or campaign.
 *
 * @param subscriberKey the subscriber's id as text
 * @param address       the normalised address the message went to; the one that is suppressed
 */
public record UnsubscribeToken(String campaignId, String subscriberKey, String address) {

    public UnsubscribeToken {
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(subscriberKey, "subscriberKey");
        Objects.requireNonNull(address, "address");
    }
}
