package io.mailcast.bounce;

import io.mailcast.suppression.SignedFields;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Signs and checks bounce tokens ({@link SignedFields}). The HMAC is cut to {@value #MAC_BYTES} bytes because the
 * token lives in an address's local part (64 characters by RFC 5321); 80 bits still cannot be guessed over SMTP. The
 * MAC covers a label of its own, so an unsubscribe token signed with the same secret is never a valid bounce token, nor
 * the other way round.
 */
public final class BounceSigner {

    public static final int MIN_SECRET_BYTES = SignedFields.MIN_SECRET_BYTES;
    /** Longer input is refused before any decoding. */
    public static final int MAX_TOKEN_CHARS = 200;

    private static final int MAC_BYTES = 10;
    private static final byte[] LABEL = "mailcast-bounce\0".getBytes(StandardCharsets.US_ASCII);

    private final SignedFields fields;

    /** @param secret the HMAC key, at least {@value #MIN_SECRET_BYTES} bytes; copied */
    public BounceSigner(byte[] secret) {
        this.fields = new SignedFields(secret, "the bounce-signing secret", LABEL, MAC_BYTES, MAX_TOKEN_CHARS);
    }

    public String sign(BounceToken token) {
        try {
            return fields.sign(token.campaignId(), token.subscriberKey());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bounce token for campaign " + token.campaignId() + ": "
                    + e.getMessage() + "; campaign id or subscriber key too long", e);
        }
    }

    /** The token's content when {@code text} is a token this secret signed, intact; empty for anything else. */
    public Optional<BounceToken> verify(String text) {
        return fields.verify(text, 2).map(f -> new BounceToken(f.get(0), f.get(1)));
    }
}
