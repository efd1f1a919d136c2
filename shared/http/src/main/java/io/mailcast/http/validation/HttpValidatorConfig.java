package io.mailcast.http.validation;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * An HTTP validation service, checked once. The address is sent as a query parameter of a GET; the verdict is read
 * from one field of the JSON answer.
 *
 * @param endpoint         the service's URL, http or https
 * @param addressParameter query parameter carrying the address, for example {@code email}
 * @param verdictField     the answer's field holding the verdict: a top-level name ({@code result}) or a JSON pointer
 *                         ({@code /data/status})
 * @param validValues      values of that field meaning VALID (compared ignoring case)
 * @param invalidValues    values meaning INVALID; any other value means UNKNOWN, a missing field is an error
 * @param timeout          for the whole call; a slower answer is an error, retried later
 * @param apiKeyHeader     header carrying the key, for example {@code X-Api-Key}
 * @param apiKey           the key, or {@code null} for none; never logged, masked in {@link #toString()}
 * @param priceMicros      price per call in millionths of the currency unit
 */
public record HttpValidatorConfig(URI endpoint, String addressParameter, String verdictField, Set<String> validValues,
                                  Set<String> invalidValues, Duration timeout, String apiKeyHeader, String apiKey,
                                  long priceMicros) {

    public HttpValidatorConfig {
        if (endpoint == null || endpoint.getHost() == null
                || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
            throw new IllegalArgumentException("validator endpoint must be an http or https URL, got " + endpoint);
        }
        required("address parameter", addressParameter);
        required("verdict field", verdictField);
        required("API key header", apiKeyHeader);
        if (validValues == null || validValues.isEmpty() || invalidValues == null || invalidValues.isEmpty()) {
            throw new IllegalArgumentException("name at least one value meaning valid and one meaning invalid");
        }
        validValues = lower(validValues);
        invalidValues = lower(invalidValues);
        if (validValues.stream().anyMatch(invalidValues::contains)) {
            throw new IllegalArgumentException("a value cannot mean both valid and invalid: " + validValues + " / "
                    + invalidValues);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("validator timeout must be positive, got " + timeout);
        }
        if (priceMicros < 0) {
            throw new IllegalArgumentException("price must not be negative, got " + priceMicros);
        }
    }

    private static void required(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
    }

    private static Set<String> lower(Set<String> values) {
        return Set.copyOf(values.stream().map(v -> v.strip().toLowerCase(Locale.ROOT)).toList());
    }

    @Override
    public String toString() {
        return "HttpValidatorConfig[endpoint=" + endpoint + ", addressParameter=" + addressParameter + ", verdictField="
                + verdictField + ", valid=" + validValues + ", invalid=" + invalidValues + ", timeout=" + timeout
                + ", apiKey=" + (apiKey == null ? "none" : "****") + ", priceMicros=" + priceMicros + "]";
    }
}
