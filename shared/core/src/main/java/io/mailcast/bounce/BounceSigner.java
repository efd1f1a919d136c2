package io.mailcast.bounce;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks bounce tokens: url-safe base64 (no padding) of the length-prefixed fields followed by a truncated
 * HMAC-SHA256. Truncated to {@value #MAC_BYTES} bytes because the token lives in an address's local part (64
 * characters by RFC 5321); 80 bits still cannot be guessed over SMTP. The MAC covers a label of its own, so an
 * unsubscribe token signed with the same secret is never a valid bounce token, nor the other way round.
 */
public final class BounceSigner {

    public static final int MIN_SECRET_BYTES = 16;
    /** Longer input is refused before any decoding. */
    public static final int MAX_TOKEN_CHARS = 200;

    private static final String HMAC = "HmacSHA256";
    private static final int MAC_BYTES = 10;
    private static final byte VERSION = 1;
    private static final byte[] LABEL = "mailcast-bounce\0".getBytes(StandardCharsets.US_ASCII);

    private final SecretKeySpec key;

    /** @param secret the HMAC key, at least {@value #MIN_SECRET_BYTES} bytes; copied */
    public BounceSigner(byte[] secret) {
        if (secret == null || secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the bounce-signing secret must be at least " + MIN_SECRET_BYTES
                    + " bytes, got " + (secret == null ? "none" : secret.length)
                    + "; generate one with e.g. 'openssl rand -base64 32'");
        }
        this.key = new SecretKeySpec(secret.clone(), HMAC);
    }

    public String sign(BounceToken token) {
        byte[] payload = payload(token);
        byte[] signed = Arrays.copyOf(payload, payload.length + MAC_BYTES);
        System.arraycopy(mac(payload), 0, signed, payload.length, MAC_BYTES);
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(signed);
        if (text.length() > MAX_TOKEN_CHARS) {
            throw new IllegalArgumentException("bounce token for campaign " + token.campaignId() + " would be "
                    + text.length() + " characters, more than " + MAX_TOKEN_CHARS + ": campaign id or subscriber key too long");
        }
        return text;
    }

    /** The token's content when {@code text} is a token this secret signed, intact; empty for anything else. */
    public Optional<BounceToken> verify(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_TOKEN_CHARS) {
            return Optional.empty();
        }
        byte[] signed;
        try {
            signed = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (signed.length <= MAC_BYTES) {
            return Optional.empty();
        }
        byte[] payload = Arrays.copyOf(signed, signed.length - MAC_BYTES);
        byte[] mac = Arrays.copyOfRange(signed, payload.length, signed.length);
        if (!MessageDigest.isEqual(Arrays.copyOf(mac(payload), MAC_BYTES), mac)) {
            return Optional.empty();
        }
        return parse(payload);
    }

    private static byte[] payload(BounceToken token) {
        var bytes = new ByteArrayOutputStream(64);
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(token.campaignId());
            out.writeUTF(token.subscriberKey());
        } catch (IOException e) {
            throw new UncheckedIOException("bounce token field too long", e);
        }
        return bytes.toByteArray();
    }

    private static Optional<BounceToken> parse(byte[] payload) {
        try (var in = new DataInputStream(new ByteArrayInputStream(payload))) {
            if (in.readByte() != VERSION) {
                return Optional.empty();
            }
            var token = new BounceToken(in.readUTF(), in.readUTF());
            return in.available() == 0 ? Optional.of(token) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            mac.update(LABEL);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(HMAC + " is required by every Java platform", e);
        }
    }
}
