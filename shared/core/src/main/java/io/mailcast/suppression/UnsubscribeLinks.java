package io.mailcast.suppression;

/** Makes each recipient's unsubscribe link; {@link #NONE} when the node serves no unsubscribe endpoint. */
@FunctionalInterface
public interface UnsubscribeLinks {

    UnsubscribeLinks NONE = (campaignId, subscriberKey, address) -> UnsubscribeLink.NONE;

    /** @param address the recipient's normalised address */
    UnsubscribeLink forRecipient(String campaignId, String subscriberKey, String address);
}
