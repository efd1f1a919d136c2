package io.mailcast.suppression;

import io.mailcast.subscriber.AddressNormalizer;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the suppression list: this address gets no more mail, whatever campaign selects it.
 *
 * @param address        the {@linkplain AddressNormalizer normalised} address, the entry's key
 * @param sourceCampaign the campaign the request came from, {@code null} when none (an operator's entry)
 * @param evidence       what shows it, for people reading the list later (an operator's note, a bounce's status line);
 *                       {@code null} when there is nothing to add
 */
public record Suppression(String address, SuppressionReason reason, String sourceCampaign, Instant at, String evidence) {

    public Suppression {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
        if (!address.equals(AddressNormalizer.normalize(address))) {
            throw new IllegalArgumentException("suppression address must be normalised: '" + address + "'");
        }
    }
}
