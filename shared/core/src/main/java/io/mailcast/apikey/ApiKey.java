package io.mailcast.apikey;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A key an application uses to call the send API. Only the SHA-256 of the secret is kept ({@link ApiKeySecret}).
 *
 * @param domains       sender domains the key may use in From, lower case
 * @param ratePerSecond messages per second the key may submit on each node, 0 for no limit
 * @param revokedAt     when the key was revoked, {@code null} while it is valid
 * @param webhook       where its messages' outcomes are POSTed, {@code null} for none (status is then polled)
 */
public record ApiKey(String id, String name, String secretHash, List<String> domains, double ratePerSecond,
                     Instant createdAt, Instant revokedAt, Webhook webhook) {

    /** A key without a webhook. */
    public ApiKey(String id, String name, String secretHash, List<String> domains, double ratePerSecond,
                  Instant createdAt, Instant revokedAt) {
        this(id, name, secretHash, domains, ratePerSecond, createdAt, revokedAt, null);
    }

    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secretHash, "secretHash");
        domains = domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
        if (!(ratePerSecond >= 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("--rate must be 0 (no limit) or a positive number of messages per second");
        }
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    /** Whether From may be in {@code domain} (lower case); a key lists each domain it may send for, no wildcards. */
    public boolean allowsSenderDomain(String domain) {
        return domains.contains(domain);
    }
}
