package io.mailcast.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The send API from a JVM program. {@link #send} gives every message an idempotency key, and retries connection
 * errors, 5xx and 429 with back-off under that same key, so a retry never sends a second copy. A 4xx other than 429
 * is the caller's mistake and is thrown at once as a {@link MailcastException} naming the field.
 *
 * <pre>{@code
 * var client = MailcastClient.builder(URI.create("https://mail.example.com"), System.getenv("MAILCAST_API_KEY")).build();
 * String id = client.send(Email.text("shop@example.com", "ann@example.org", "Your receipt", "Thanks!"));
 * MessageStatus status = client.awaitFinal(id, Duration.ofMinutes(1));
 * }</pre>
 */
public final class MailcastClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final URI baseUri;
    private final String apiKey;
    private final HttpClient http;
    private final int maxAttempts;
    private final Duration backoff;
    private final Duration timeout;

    private MailcastClient(Builder b) {
        this.baseUri = b.baseUri;
        this.apiKey = b.apiKey;
        this.http = b.http != null ? b.http : HttpClient.newBuilder().connectTimeout(b.timeout).build();
        this.maxAttempts = b.maxAttempts;
        this.backoff = b.backoff;
        this.timeout = b.timeout;
    }

    public static Builder builder(URI baseUri, String apiKey) {
        return new Builder(baseUri, apiKey);
    }

    /** Sends with a fresh idempotency key; returns the message id once the server has stored the message. */
    public String send(Email email) {
        return send(email, UUID.randomUUID().toString());
    }

    /**
     * Sends with the caller's idempotency key, e.g. an order number: sending again with the same key within 24 h
     * returns the first message's id and sends nothing more, even from another process.
     */
    public String send(Email email, String idempotencyKey) {
        byte[] body = bytes(toJson(email));
        HttpRequest request = request("/v1/messages").header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return call(request).get("id").asText();
    }

    public MessageStatus status(String id) {
        return fromJson(call(request("/v1/messages/" + id).GET().build()));
    }

    /** Polls {@link #status} until the message is SENT, FAILED or CANCELLED, or {@code limit} passes. */
    public MessageStatus awaitFinal(String id, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        Duration pause = Duration.ofMillis(100);
        while (true) {
            MessageStatus status = status(id);
            if (status.isFinal() || Instant.now().isAfter(deadline)) {
                return status;
            }
            Thread.sleep(pause);
            pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(2)) > 0 ? Duration.ofSeconds(2) : pause.multipliedBy(2);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(baseUri.resolve(path)).timeout(timeout).header("Authorization", "Bearer " + apiKey);
    }

    /** The answer's JSON; retries what may succeed later, throws what will not. */
    private JsonNode call(HttpRequest request) {
        MailcastException last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Duration wait = backoffBefore(attempt + 1);
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status < 300) {
                    return JSON.readTree(response.body());
                }
                last = error(response);
                if (status != 429 && status < 500) {
                    throw last;
                }
                wait = response.headers().firstValueAsLong("Retry-After").stream()
                        .mapToObj(Duration::ofSeconds).findFirst().orElse(wait);
            } catch (IOException e) {
                last = new MailcastException(0, "cannot reach " + baseUri + ": " + e, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MailcastException(0, "interrupted", null);
            }
            if (attempt < maxAttempts) {
                sleep(wait);
            }
        }
        throw last;
    }

    private Duration backoffBefore(int attempt) {
        long base = Math.min(backoff.toMillis() << Math.min(attempt - 2, 20), MAX_BACKOFF.toMillis());
        return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }

    private static MailcastException error(HttpResponse<String> response) {
        try {
            JsonNode body = JSON.readTree(response.body());
            JsonNode field = body.get("field");
            return new MailcastException(response.statusCode(), body.path("error").asText("no error text"),
                    field == null || field.isNull() ? null : field.asText());
        } catch (JsonProcessingException e) {
            return new MailcastException(response.statusCode(), "answer is not JSON", null);
        }
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MailcastException(0, "interrupted", null);
        }
    }

    private static ObjectNode toJson(Email e) {
        ObjectNode out = JSON.createObjectNode();
        out.put("from", e.from());
        e.to().forEach(out.putArray("to")::add);
        e.cc().forEach(out.putArray("cc")::add);
        out.put("replyTo", e.replyTo());
        out.put("subject", e.subject());
        out.put("text", e.text());
        out.put("html", e.html());
        ObjectNode headers = out.putObject("headers");
        e.headers().forEach(headers::put);
        e.tags().forEach(out.putArray("tags")::add);
        if (e.template() != null) {
            out.put("template", e.template());
            out.set("data", JSON.valueToTree(e.data() == null ? Map.of() : e.data()));
        }
        return out;
    }

    private static MessageStatus fromJson(JsonNode n) {
        List<String> delivered = new ArrayList<>();
        n.path("delivered").forEach(d -> delivered.add(d.asText()));
        List<String> suppressed = new ArrayList<>();
        n.path("suppressed").forEach(d -> suppressed.add(d.asText()));
        return new MessageStatus(n.get("id").asText(), n.get("status").asText(), n.path("attempts").asInt(), delivered,
                suppressed, text(n, "relay"), text(n, "reply"), n.path("uncertain").asBoolean(), instant(n, "acceptedAt"),
                instant(n, "updatedAt"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode value = n.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Instant instant(JsonNode n, String field) {
        String text = text(n, field);
        return text == null ? null : Instant.parse(text);
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serialises", e);
        }
    }

    /** Settings of a client; each setter checks its value. */
    public static final class Builder {
        private final URI baseUri;
        private final String apiKey;
        private HttpClient http;
        private int maxAttempts = 5;
        private Duration backoff = Duration.ofMillis(200);
        private Duration timeout = Duration.ofSeconds(30);

        private Builder(URI baseUri, String apiKey) {
            this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        }

        /** Tries per call, for connection errors, 5xx and 429 (default 5; 1 = no retry). */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Wait before the first retry, doubled for each one after, at most 10 s (default 200 ms). */
        public Builder backoff(Duration backoff) {
            if (backoff.isNegative()) {
                throw new IllegalArgumentException("backoff must not be negative");
            }
            this.backoff = backoff;
            return this;
        }

        /** Connect and request timeout (default 30 s). */
        public Builder timeout(Duration timeout) {
            if (!timeout.isPositive()) {
                throw new IllegalArgumentException("timeout must be positive");
            }
            this.timeout = timeout;
            return this;
        }

        /** An HttpClient of the caller's (proxies, TLS settings). */
        public Builder httpClient(HttpClient http) {
            this.http = Objects.requireNonNull(http, "http");
            return this;
        }

        public MailcastClient build() {
            return new MailcastClient(this);
        }
    }
}
