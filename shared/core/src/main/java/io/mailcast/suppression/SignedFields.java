package io.mailcast.suppression;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Text fields signed so that a link or an address can carry them and nothing else can forge them: url-safe base64 (no
 * padding) of a version byte and the length-prefixed fields, followed by their HMAC-SHA256, cut to {@code macBytes}.
 * Length prefixes mean no choice of text makes two field lists sign the same bytes; a label mixed into the MAC keeps
 * tokens of one kind from passing as another under the same secret. The unsubscribe and bounce tokens are made here.
 */
public final class SignedFields {

    public static final int MIN_SECRET_BYTES = 16;
    private static final String HMAC = "HmacSHA256";
    private static final byte VERSION = 1;

    private final SecretKeySpec key;
    private final byte[] label;
    private final int macBytes;
    private final int maxChars;

    /**
     * @param what     what the secret signs, for the error when it is too short ("the unsubscribe secret")
     * @param label    mixed into every MAC; empty for none
     * @param maxChars longer tokens are refused when signing, and longer input before any decoding when verifying
     */
    public SignedFields(byte[] secret, String what, byte[] label, int macBytes, int maxChars) {
        if (secret == null || secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(what + " must be at least " + MIN_SECRET_BYTES + " bytes, got "
                    + (secret == null ? "none" : secret.length) + "; generate one with e.g. 'openssl rand -base64 32'");
        }
        this.key = new SecretKeySpec(secret.clone(), HMAC);
        this.label = label.clone();
        this.macBytes = macBytes;
        this.maxChars = maxChars;
    }

    /** @throws IllegalArgumentException when the token would be longer than allowed, naming its length */
    public String sign(String... fields) {
        byte[] payload = payload(fields);
        byte[] signed = Arrays.copyOf(payload, payload.length + macBytes);
        System.arraycopy(mac(payload), 0, signed, payload.length, macBytes);
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(signed);
        if (text.length() > maxChars) {
            throw new IllegalArgumentException("the token would be " + text.length() + " characters, more than "
                    + maxChars);
        }
        return text;
    }

    /** The {@code count} fields when {@code text} is a token this secret signed, intact; empty for anything else. */
    public Optional<List<String>> verify(String text, int count) {
        if (text == null || text.isEmpty() || text.length() > maxChars) {
            return Optional.empty();
        }
        byte[] signed;
        try {
            signed = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (signed.length <= macBytes) {
            return Optional.empty();
        }
        byte[] payload = Arrays.copyOf(signed, signed.length - macBytes);
        byte[] mac = Arrays.copyOfRange(signed, payload.length, signed.length);
        if (!MessageDigest.isEqual(Arrays.copyOf(mac(payload), macBytes), mac)) {
            return Optional.empty();
        }
        return parse(payload, count);
    }

    private static byte[] payload(String... fields) {
        var bytes = new ByteArrayOutputStream(128);
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            for (String field : fields) {
                out.writeUTF(field);
            }
        } catch (IOException e) {
            // Only a field over 65,535 bytes gets here (UTFDataFormatException); memory streams do not fail otherwise.
            throw new UncheckedIOException("token field too long", e);
        }
        return bytes.toByteArray();
    }

    /** A payload that carries a valid MAC was written by {@link #payload}; the checks guard against a leaked secret's misuse. */
    private static Optional<List<String>> parse(byte[] payload, int count) {
        try (var in = new DataInputStream(new ByteArrayInputStream(payload))) {
            if (in.readByte() != VERSION) {
                return Optional.empty();
            }
            List<String> fields = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                fields.add(in.readUTF());
            }
            return in.available() == 0 ? Optional.of(fields) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    // Mac instances are not thread-safe and cheap to create; a ThreadLocal would not pay off with virtual threads.
    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            mac.update(label);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(HMAC + " is required by every Java platform", e);
        }
    }
}
