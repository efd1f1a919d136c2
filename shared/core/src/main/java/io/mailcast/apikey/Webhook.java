package io.mailcast.apikey;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a key's applications hear about their messages: each message that reaches SENT or FAILED, or gets a bounce or
 * complaint afterwards, is POSTed to {@code url}, signed with {@code secret} (HMAC-SHA256). The secret is stored as it
 * is, not hashed: signing needs it, and it lets nobody call the API.
 */
public record Webhook(String url, String secret) {

    /** Shorter secrets are refused: they would make the signature guessable. */
    public static final int MIN_SECRET_BYTES = 16;
    private static final int MAX_URL_LENGTH = 2_000;

    public Webhook {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(secret, "secret");
        String problem = urlProblem(url);
        if (problem != null) {
            throw new IllegalArgumentException("--webhook-url " + problem);
        }
        if (secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the webhook secret must be at least " + MIN_SECRET_BYTES + " bytes");
        }
    }

    private static String urlProblem(String url) {
        if (url.length() > MAX_URL_LENGTH) {
            return "is longer than " + MAX_URL_LENGTH + " characters";
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http")) {
                return "'" + url + "' is not an http(s) URL";
            }
            if (uri.getHost() == null || uri.getHost().isBlank()) {
                return "'" + url + "' has no host";
            }
            if (uri.getRawUserInfo() != null) {
                // The URL is not repeated: it holds a password.
                return "must not carry credentials (user:password@); the reports are signed with the webhook secret";
            }
            return null;
        } catch (URISyntaxException e) {
            return "'" + url + "' is not a URL: " + e.getReason();
        }
    }

    /** The secret never appears in logs or error messages. */
    @Override
    public String toString() {
        return "Webhook[url=" + url + "]";
    }
}
