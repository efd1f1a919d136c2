package io.mailcast.sender.relay;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's send rate per recipient domain (its share of a cluster-wide limit, or the whole limit when alone).
 * Domains without a limit have no entry and cost one map lookup per send. Thread-safe; limits may change at any time.
 */
public final class DomainRates {

    private final Map<String, Pacer> pacers = new ConcurrentHashMap<>();

    /** Sets the rate for {@code domain} in messages per second on this node; 0 removes its limit. */
    public void set(String domain, double messagesPerSecond) {
        if (!(messagesPerSecond >= 0) || Double.isInfinite(messagesPerSecond)) {
            throw new IllegalArgumentException("domain '" + domain + "': messages per second must be 0 (no limit) or a "
                    + "positive number, got " + messagesPerSecond);
        }
        String key = DomainLimit.normalize(domain);
        if (messagesPerSecond == 0) {
            pacers.remove(key);
        } else {
            pacers.computeIfAbsent(key, d -> new Pacer(messagesPerSecond)).setRate(messagesPerSecond);
        }
    }

    /** This node's rate for {@code domain}, 0 for none. */
    public double rate(String domain) {
        Pacer pacer = pacers.get(DomainLimit.normalize(domain));
        return pacer == null ? 0 : pacer.rate();
    }

    Optional<Pacer> pacerFor(String recipient) {
        if (pacers.isEmpty()) {
            return Optional.empty();
        }
        int at = recipient.lastIndexOf('@');
        return at < 0 ? Optional.empty()
                : Optional.ofNullable(pacers.get(recipient.substring(at + 1).strip().toLowerCase(Locale.ROOT)));
    }
}
