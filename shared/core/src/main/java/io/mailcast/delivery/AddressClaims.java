package io.mailcast.delivery;

import io.mailcast.subscriber.SubscriberId;

import java.util.Map;

/**
 * Which subscriber of a campaign mails each address: the first to claim it. Two subscribers with one mailbox, in the
 * same chunk or in chunks sent by different nodes, give one message.
 */
public interface AddressClaims {

    /**
     * Claims each normalised address for its subscriber, keeping earlier claims. Idempotent: a subscriber that claimed
     * before (a chunk re-run after a crash) holds its address again.
     *
     * @param wanted normalised address to the subscriber that would mail it
     * @return every address of {@code wanted} to the subscriber that holds it
     */
    Map<String, SubscriberId> claim(String campaignId, Map<String, SubscriberId> wanted);
}
