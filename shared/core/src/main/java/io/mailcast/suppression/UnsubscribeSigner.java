package io.mailcast.suppression;

import java.util.Optional;

/**
 * Signs and checks unsubscribe tokens: the token carries campaign, subscriber and address with their full HMAC-SHA256
 * ({@link SignedFields}), so the endpoint learns them from the link alone, needs no lookup, and a changed byte anywhere
 * fails the check.
 */
public final class UnsubscribeSigner {

    public static final int MIN_SECRET_BYTES = SignedFields.MIN_SECRET_BYTES;
    /** Longer input is refused before any decoding; real tokens are a few hundred characters at most. */
    public static final int MAX_TOKEN_CHARS = 1024;

    // No label: links already sent were signed without one and must keep working.
    private final SignedFields fields;

    /** @param secret the HMAC key, at least {@value #MIN_SECRET_BYTES} bytes; copied */
    public UnsubscribeSigner(byte[] secret) {
        this.fields = new SignedFields(secret, "the unsubscribe secret", new byte[0], 32, MAX_TOKEN_CHARS);
    }

    public String sign(UnsubscribeToken token) {
        try {
            return fields.sign(token.campaignId(), token.subscriberKey(), token.address());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unsubscribe token for campaign " + token.campaignId() + ": "
                    + e.getMessage() + "; subscriber key or address too long", e);
        }
    }

    /** The token's content when {@code text} is a token this secret signed, intact; empty for anything else. */
    public Optional<UnsubscribeToken> verify(String text) {
        return fields.verify(text, 3).map(f -> new UnsubscribeToken(f.get(0), f.get(1), f.get(2)));
    }
}
