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
        Map<String, SubscriberId> firstByAddress = new LinkedHashMap<>();
        for (Subscriber s : recipients) {
            if (AddressValidator.problem(s.email()).isEmpty()) {
                firstByAddress.putIfAbsent(AddressNormalizer.normalize(s.email()), s.id());
            }
        }
        Map<String, SubscriberId> holders = firstByAddress.isEmpty() ? Map.of() : claims.claim(campaignId, firstByAddress);
        List<Subscriber> toSend = new ArrayList<>(recipients.size());
        List<Skip> skipped = new ArrayList<>();
        for (Subscriber s : recipients) {
            SubscriberId holder = AddressValidator.problem(s.email()).isEmpty()
                    ? holders.get(AddressNormalizer.normalize(s.email())) : null;
            if (holder == null || holder.equals(s.id())) {
                toSend.add(s);
            } else {
                skipped.add(new Skip(s, holder));
            }
        }
        return new Split(toSend, skipped);
    }
}
