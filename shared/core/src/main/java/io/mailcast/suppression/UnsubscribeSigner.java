package io.mailcast.suppression;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks unsubscribe tokens. A token is url-safe base64 (no padding) of the token's fields followed by their
 * HMAC-SHA256, so the endpoint learns campaign, subscriber and address from the link alone and needs no lookup, and a
 * changed byte anywhere fails the check. Fields are length-prefixed: no choice of text can make two tokens sign the
 * same bytes.
 */
public final class UnsubscribeSigner {

    public static final int MIN_SECRET_BYTES = 16;
    /** Longer input is refused before any decoding; real tokens are a few hundred characters at most. */
    public static final int MAX_TOKEN_CHARS = 1024;

    private static final String HMAC = "HmacSHA256";
    private static final int MAC_BYTES = 32;
    private static final byte VERSION = 1;

    private final SecretKeySpec key;

    /** @param secret the HMAC key, at least {@value #MIN_SECRET_BYTES} bytes; copied */
    public UnsubscribeSigner(byte[] secret) {
        if (secret == null || secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the unsubscribe secret must be at least " + MIN_SECRET_BYTES
                    + " bytes, got " + (secret == null ? "none" : secret.length)
                    + "; generate one with e.g. 'openssl rand -base64 32'");
        }
        this.key = new SecretKeySpec(secret.clone(), HMAC);
    }

    public String sign(UnsubscribeToken token) {
        byte[] payload = payload(token);
        byte[] signed = Arrays.copyOf(payload, payload.length + MAC_BYTES);
        System.arraycopy(mac(payload), 0, signed, payload.length, MAC_BYTES);
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(signed);
        if (text.length() > MAX_TOKEN_CHARS) {
            throw new IllegalArgumentException("unsubscribe token for campaign " + token.campaignId() + " would be "
                    + text.length() + " characters, more than " + MAX_TOKEN_CHARS + ": subscriber key or address too long");
        }
        return text;
    }

    /** The token's content when {@code text} is a token this secret signed, intact; empty for anything else. */
    public Optional<UnsubscribeToken> verify(String text) {
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
        if (!MessageDigest.isEqual(mac(payload), mac)) {
            return Optional.empty();
        }
        return parse(payload);
    }

    private static byte[] payload(UnsubscribeToken token) {
        var bytes = new ByteArrayOutputStream(128);
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(token.campaignId());
            out.writeUTF(token.subscriberKey());
            out.writeUTF(token.address());
        } catch (IOException e) {
            // Only a field over 65,535 bytes gets here (UTFDataFormatException); memory streams do not fail otherwise.
            throw new UncheckedIOException("unsubscribe token field too long", e);
        }
        return bytes.toByteArray();
    }

    /** A payload that carries a valid MAC was written by {@link #payload}; the checks guard against a leaked secret's misuse. */
    private static Optional<UnsubscribeToken> parse(byte[] payload) {
        try (var in = new DataInputStream(new ByteArrayInputStream(payload))) {
            if (in.readByte() != VERSION) {
                return Optional.empty();
            }
            var token = new UnsubscribeToken(in.readUTF(), in.readUTF(), in.readUTF());
            return in.available() == 0 ? Optional.of(token) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    // Mac instances are not thread-safe and cheap to create; a ThreadLocal would not pay off with virtual threads.
    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(HMAC + " is required by every Java platform", e);
        }
    }
}
