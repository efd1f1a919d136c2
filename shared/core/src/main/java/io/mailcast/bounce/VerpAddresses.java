package io.mailcast.bounce;

import io.mailcast.sender.OutgoingMessage;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Per-message envelope senders (VERP): {@code bounces+<signed token>@<bounce domain>}. A bounce comes back to the
 * address of the one message it is about, so the bounce itself needs no parsing to know campaign and subscriber.
 */
public final class VerpAddresses {

    public static final String LOCAL_PREFIX = "bounces+";

    // A host name: labels of letters, digits and hyphens; at least two labels.
    private static final Pattern DOMAIN = Pattern.compile(
            "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private final String suffix;
    private final BounceSigner signer;

    /** @param domain where bounces are received (its MX points at the nodes), e.g. {@code bounce.example.com} */
    public VerpAddresses(String domain, BounceSigner signer) {
        this.suffix = "@" + checkedDomain(domain);
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    public String domain() {
        return suffix.substring(1);
    }

    /** The envelope sender for one message. */
    public String forMessage(OutgoingMessage message) {
        return LOCAL_PREFIX + signer.sign(new BounceToken(message.campaignId(), message.subscriberId().key())) + suffix;
    }

    /** Whether mail to {@code address} is ours to take: any local part at the bounce domain. */
    public boolean isBounceDomain(String address) {
        int at = address.lastIndexOf('@');
        return at > 0 && address.substring(at).equalsIgnoreCase(suffix);
    }

    /** The token of a VERP address, when the address is one of ours and its signature holds; empty otherwise. */
    public Optional<BounceToken> token(String address) {
        if (address == null || !isBounceDomain(address)) {
            return Optional.empty();
        }
        String local = address.substring(0, address.lastIndexOf('@'));
        // The prefix is ours, so any case; the token is base64 and keeps its case.
        if (local.length() <= LOCAL_PREFIX.length()
                || !local.regionMatches(true, 0, LOCAL_PREFIX, 0, LOCAL_PREFIX.length())) {
            return Optional.empty();
        }
        return signer.verify(local.substring(LOCAL_PREFIX.length()));
    }

    private static String checkedDomain(String domain) {
        if (domain == null || domain.isBlank()) {
            throw new IllegalArgumentException("the bounce domain is missing, e.g. bounce.example.com");
        }
        String d = domain.strip().toLowerCase(Locale.ROOT);
        if (!DOMAIN.matcher(d).matches()) {
            throw new IllegalArgumentException("the bounce domain '" + domain + "' is not a host name such as "
                    + "bounce.example.com");
        }
        return d;
    }
}
