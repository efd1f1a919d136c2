package io.mailcast.http.validation;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailcast.validation.Validator;
import io.mailcast.validation.ValidatorException;
import io.mailcast.validation.Verdict;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A validation service over HTTP. Anything but a readable 2xx answer with the verdict field (a timeout, a refused
 * connection, a 5xx, a 429, garbage) is a {@link ValidatorException}: retried, never cached. Error messages carry the
 * status and never the key or the answer's body.
 */
public final class HttpValidator implements Validator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpValidatorConfig config;
    private final HttpClient client;
    private final JsonPointer field;

    public HttpValidator(HttpValidatorConfig config) {
        this.config = config;
        this.client = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
        String f = config.verdictField();
        this.field = JsonPointer.compile(f.startsWith("/") ? f : "/" + f.replace("~", "~0").replace("/", "~1"));
    }

    @Override
    public String name() {
        return "http:" + config.endpoint().getHost();
    }

    @Override
    public long priceMicros() {
        return config.priceMicros();
    }

    @Override
    public Verdict check(String address) throws ValidatorException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uriFor(address)).timeout(config.timeout())
                .header("Accept", "application/json").GET();
        if (config.apiKey() != null) {
            request.header(config.apiKeyHeader(), config.apiKey());
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new ValidatorException("validator timed out after " + config.timeout());
        } catch (IOException e) {
            throw new ValidatorException("validator unreachable: " + e.getClass().getSimpleName());
        }
        if (response.statusCode() / 100 != 2) {
            throw new ValidatorException("validator answered HTTP " + response.statusCode());
        }
        return verdictOf(response.body());
    }

    private Verdict verdictOf(String body) throws ValidatorException {
        JsonNode value;
        try {
            value = JSON.readTree(body).at(field);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new ValidatorException("validator answer is not JSON");
        }
        if (value.isMissingNode() || value.isNull() || value.isContainerNode()) {
            throw new ValidatorException("validator answer lacks the field " + config.verdictField());
        }
        String text = value.asText().strip().toLowerCase(Locale.ROOT);
        if (config.validValues().contains(text)) {
            return Verdict.VALID;
        }
        return config.invalidValues().contains(text) ? Verdict.INVALID : Verdict.UNKNOWN;
    }

    private URI uriFor(String address) {
        String base = config.endpoint().toString();
        String separator = config.endpoint().getRawQuery() == null ? "?" : "&";
        return URI.create(base + separator + URLEncoder.encode(config.addressParameter(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(address, StandardCharsets.UTF_8));
    }
}
