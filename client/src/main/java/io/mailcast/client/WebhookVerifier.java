package io.mailcast.client;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Checks a webhook report before trusting it: the {@code Mailcast-Signature} header ({@code t=<unix seconds>,v1=<hex
 * HMAC-SHA256 of "t.body">}) must match the raw body under the key's webhook secret, and {@code t} must be recent, so a
 * captured report cannot be replayed later.
 *
 * <pre>{@code
 * if (!WebhookVerifier.verify(secret, request.header("Mailcast-Signature"), rawBody, Instant.now(), Duration.ofMinutes(5))) {
 *     return 400;
 * }
 * }</pre>
 */
public final class WebhookVerifier {

    public static final String SIGNATURE_HEADER = "Mailcast-Signature";
    public static final String ID_HEADER = "Mailcast-Webhook-Id";

    private WebhookVerifier() {
    }

    /** @param body the request body exactly as received, before any JSON parsing */
    public static boolean verify(String secret, String signatureHeader, String body, Instant now, Duration tolerance) {
        if (signatureHeader == null || body == null) {
            return false;
        }
        String t = null;
        String v1 = null;
        for (String part : signatureHeader.split(",")) {
            String p = part.strip();
            if (p.startsWith("t=")) {
                t = p.substring(2);
            } else if (p.startsWith("v1=")) {
                v1 = p.substring(3);
            }
        }
        if (t == null || v1 == null) {
            return false;
        }
        try {
            if (Math.abs(now.getEpochSecond() - Long.parseLong(t)) > tolerance.toSeconds()) {
                return false;
            }
        } catch (NumberFormatException e) {
            return false;
        }
        byte[] expected = hmac(secret, t + "." + body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, v1.getBytes(StandardCharsets.US_ASCII));
    }

    private static String hmac(String secret, String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
