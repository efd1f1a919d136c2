package io.mailcast.engine;

import io.mailcast.delivery.AddressClaims;
import io.mailcast.sender.AddressValidator;
import io.mailcast.subscriber.AddressNormalizer;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.subscriber.SubscriberId;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a chunk's recipients into those to mail and those whose normalised address another subscriber of the
 * campaign holds (same chunk or any other): one claim call per chunk. Invalid addresses are left to validation.
 */
final class DuplicateAddresses {

    /** A recipient not to mail, and the subscriber that mails its address. */
    record Skip(Subscriber subscriber, SubscriberId mailedAs) {
    }

    record Split(List<Subscriber> toSend, List<Skip> skipped) {
    }

    private DuplicateAddresses() {
    }

    static Split split(String campaignId, List<Subscriber> recipients, AddressClaims claims) {
        // Each address checked and normalised once: both are measurable per recipient at a million.
        String[] addresses = new String[recipients.size()];
        Map<String, SubscriberId> firstByAddress = new LinkedHashMap<>();
        for (int i = 0; i < addresses.length; i++) {
            Subscriber s = recipients.get(i);
            if (AddressValidator.problem(s.email()).isEmpty()) {
                addresses[i] = AddressNormalizer.normalize(s.email());
                firstByAddress.putIfAbsent(addresses[i], s.id());
            }
        }
        Map<String, SubscriberId> holders = firstByAddress.isEmpty() ? Map.of() : claims.claim(campaignId, firstByAddress);
        List<Subscriber> toSend = new ArrayList<>(recipients.size());
        List<Skip> skipped = new ArrayList<>();
        for (int i = 0; i < addresses.length; i++) {
            Subscriber s = recipients.get(i);
            SubscriberId holder = addresses[i] == null ? null : holders.get(addresses[i]);
            if (holder == null || holder.equals(s.id())) {
                toSend.add(s);
            } else {
                skipped.add(new Skip(s, holder));
            }
        }
        return new Split(toSend, skipped);
    }
}
