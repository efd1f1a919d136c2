package io.mailcast.sender.smtp;

import io.mailcast.sender.AddressValidator;
import io.mailcast.subscriber.SubscriberId;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-recipient List-Unsubscribe headers (RFC 2369) with one-click unsubscribe (RFC 8058).
 *
 * <p>The link carries campaign, subscriber and a token: base64url (no padding) HMAC-SHA256 over
 * {@code campaignId:subscriberId}. The unsubscribe endpoint checks it with {@link #verify}, so nobody can
 * unsubscribe someone else by editing the link.
 */
public final class UnsubscribeLinks {

    public static final String LIST_UNSUBSCRIBE = "List-Unsubscribe";
    public static final String LIST_UNSUBSCRIBE_POST = "List-Unsubscribe-Post";
    public static final String ONE_CLICK = "List-Unsubscribe=One-Click";
    public static final int MIN_SECRET_BYTES = 16;

    private static final String HMAC = "HmacSHA256";
    // Legal in a mailbox but would need escaping in a mailto: URL; nobody uses them for an unsubscribe mailbox.
    private static final String URL_SPECIALS = "?%&#\",<>";

    private final String baseUrl;
    private final String mailto;
    private final SecretKeySpec key;

    /**
     * @param baseUrl https URL of the unsubscribe endpoint; may already have a query
     * @param mailto  address for mail-based unsubscribe, {@code null} for none
     * @param secret  HMAC key, at least {@value #MIN_SECRET_BYTES} bytes; copied
     */
    public UnsubscribeLinks(String baseUrl, String mailto, byte[] secret) {
        this.baseUrl = checkedBaseUrl(baseUrl);
        if (mailto != null) {
            var problem = AddressValidator.problem(mailto);
            if (problem.isPresent()) {
                throw new IllegalArgumentException("unsubscribe mailto address '" + HeaderText.clean(mailto) + "' is invalid: " + problem.get());
            }
            if (mailto.chars().anyMatch(c -> URL_SPECIALS.indexOf(c) >= 0)) {
                throw new IllegalArgumentException("unsubscribe mailto address '" + mailto + "' must be a plain address without any of " + URL_SPECIALS);
            }
            mailto = AddressValidator.asciiForm(mailto);
        }
        this.mailto = mailto;
        if (secret == null || secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the unsubscribe secret must be at least " + MIN_SECRET_BYTES + " bytes, got "
                    + (secret == null ? "none" : secret.length) + "; generate one with e.g. 'openssl rand -base64 32'");
        }
        this.key = new SecretKeySpec(secret.clone(), HMAC);
    }

    /** List-Unsubscribe and List-Unsubscribe-Post header values for one recipient, ready for {@code OutgoingMessage.headers}. */
    public Map<String, String> headers(String campaignId, SubscriberId subscriberId) {
        String token = token(campaignId, subscriberId);
        String separator = baseUrl.contains("?") ? "&" : "?";
        StringBuilder value = new StringBuilder("<").append(baseUrl).append(separator)
                .append("c=").append(URLEncoder.encode(campaignId, StandardCharsets.UTF_8))
                .append("&s=").append(URLEncoder.encode(subscriberId.key(), StandardCharsets.UTF_8))
                .append("&t=").append(token).append('>');
        if (mailto != null) {
            value.append(", <mailto:").append(mailto).append("?subject=unsubscribe-").append(token).append('>');
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(LIST_UNSUBSCRIBE, value.toString());
        headers.put(LIST_UNSUBSCRIBE_POST, ONE_CLICK);
        return headers;
    }

    /** The token for one recipient of one campaign. */
    public String token(String campaignId, SubscriberId subscriberId) {
        Objects.requireNonNull(campaignId, "campaignId");
        // Campaign ids hold no line breaks, so the newline separates the two: no ambiguity.
        byte[] mac = mac().doFinal((campaignId + "\n" + subscriberId.key()).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
    }

    /** Whether {@code token} was issued for this campaign and subscriber; compares in constant time. */
    public boolean verify(String campaignId, SubscriberId subscriberId, String token) {
        if (campaignId == null || token == null) {
            return false;
        }
        byte[] expected = token(campaignId, subscriberId).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.UTF_8));
    }

    // Mac instances are not thread-safe and are cheap to create; a ThreadLocal would not pay off with virtual threads.
    private Mac mac() {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(HMAC + " is required by every Java platform", e);
        }
    }

    private static String checkedBaseUrl(String baseUrl) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("the unsubscribe base URL is missing, e.g. https://example.com/unsubscribe");
        }
        URI uri;
        try {
            uri = new URI(baseUrl);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the unsubscribe base URL is not a valid URL: " + e.getMessage(), e);
        }
        if (uri.getScheme() == null || !uri.getScheme().toLowerCase(Locale.ROOT).equals("https")) {
            throw new IllegalArgumentException("the unsubscribe base URL must use https (one-click unsubscribe, RFC 8058, requires it), got " + baseUrl);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the unsubscribe base URL has no host: " + baseUrl);
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("the unsubscribe base URL must not have a #fragment: " + baseUrl);
        }
        // The URI parser already rejects spaces and angle brackets; a comma would split the header entry for some readers.
        if (baseUrl.contains(",")) {
            throw new IllegalArgumentException("the unsubscribe base URL must not contain a comma: " + baseUrl);
        }
        return baseUrl;
    }
}
