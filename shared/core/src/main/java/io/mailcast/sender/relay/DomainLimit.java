package io.mailcast.sender.relay;

import java.net.IDN;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A cluster-wide limit on sends to one recipient domain, such as at most 10 per second to gmail.com, whichever relay
 * carries them.
 *
 * @param domain            lower-case domain, compared with the part of each recipient address after the '@'
 * @param messagesPerSecond cluster-wide limit, at least {@value RelayConfig#MIN_RATE}
 */
public record DomainLimit(String domain, double messagesPerSecond) {

    public DomainLimit {
        domain = normalize(domain);
        RelayConfig.checkRate("domain " + domain, messagesPerSecond);
        if (messagesPerSecond == 0) {
            throw new IllegalArgumentException("domain '" + domain + "': a limit of 0 is no limit; leave the domain out");
        }
    }

    /** Lower case, ASCII (IDNA) form; throws naming the value when it is not a domain name. */
    public static String normalize(String domain) {
        String value = domain == null ? "" : domain.strip().toLowerCase(Locale.ROOT);
        try {
            value = IDN.toASCII(value, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + domain + "' is not a domain name", e);
        }
        if (!value.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
            throw new IllegalArgumentException("'" + domain + "' is not a domain name such as gmail.com");
        }
        return value;
    }

    /** Parses {@code gmail.com=10,yahoo.com=2.5} (blank: none); throws naming the bad entry. */
    public static List<DomainLimit> parseList(String text) {
        List<DomainLimit> limits = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return limits;
        }
        for (String entry : text.split(",")) {
            int eq = entry.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("'" + entry.strip() + "' is not DOMAIN=PER_SECOND, e.g. gmail.com=10");
            }
            double rate;
            try {
                rate = Double.parseDouble(entry.substring(eq + 1).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + entry.strip() + "': the rate is not a number", e);
            }
            DomainLimit limit = new DomainLimit(entry.substring(0, eq), rate);
            if (limits.stream().anyMatch(l -> l.domain().equals(limit.domain()))) {
                throw new IllegalArgumentException("domain '" + limit.domain() + "' is given twice");
            }
            limits.add(limit);
        }
        return limits;
    }
}
