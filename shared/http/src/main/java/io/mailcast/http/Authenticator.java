package io.mailcast.http;

import io.mailcast.apikey.ApiKey;
import io.mailcast.apikey.ApiKeySecret;
import io.mailcast.apikey.ApiKeyStore;
import io.mailcast.apikey.KeyRateLimiter;

import java.time.Duration;

/**
 * Finds the API key of a request ({@code Authorization: Bearer <secret>}) by the hash of its secret, on every request,
 * so a revocation applies at once; and holds each key to its rate.
 */
final class Authenticator {

    private static final String BEARER = "Bearer ";

    private final ApiKeyStore keys;
    private final KeyRateLimiter rates;

    Authenticator(ApiKeyStore keys, KeyRateLimiter rates) {
        this.keys = keys;
        this.rates = rates;
    }

    /** @throws ApiError 401 when the header is missing or the key unknown or revoked */
    ApiKey authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new ApiError(401, "missing API key: send 'Authorization: Bearer <key>'", "Authorization");
        }
        String secret = authorization.substring(BEARER.length()).strip();
        ApiKey key = keys.findBySecretHash(ApiKeySecret.hash(secret)).orElse(null);
        if (key == null || key.revoked()) {
            // The same answer for both: a caller cannot learn whether a key ever existed.
            throw new ApiError(401, "invalid or revoked API key", "Authorization");
        }
        return key;
    }

    /** @throws ApiError 429 with Retry-After when {@code messages} more would exceed the key's rate */
    void admit(ApiKey key, int messages) {
        Duration wait = rates.take(key, messages);
        if (!wait.isZero()) {
            throw new ApiError(429, "rate limit of " + key.ratePerSecond() + " messages per second exceeded for key "
                    + key.name(), null, wait);
        }
    }
}
