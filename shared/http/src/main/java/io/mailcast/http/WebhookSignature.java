package io.mailcast.http;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The {@code Mailcast-Signature} header of a webhook report: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "t.body">} with the key's webhook secret. The time inside the signature lets a receiver refuse replays of old
 * reports; receivers check it with the Java client's {@code WebhookVerifier} (or the same few lines in their language).
 */
public final class WebhookSignature {

    public static final String HEADER = "Mailcast-Signature";

    private WebhookSignature() {
    }

    public static String sign(String secret, Instant at, String body) {
        long t = at.getEpochSecond();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "t=" + t + ",v1="
                    + HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
