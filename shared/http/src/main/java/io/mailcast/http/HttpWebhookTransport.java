package io.mailcast.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailcast.message.MessageBounce;
import io.mailcast.message.MessageStatus;
import io.mailcast.message.StoredMessage;
import io.mailcast.webhook.PendingWebhook;
import io.mailcast.webhook.WebhookException;
import io.mailcast.webhook.WebhookTransport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;

/**
 * POSTs a report as JSON: {@code {"id", "type", "message"}} where {@code message} is what {@code GET
 * /v1/messages/{id}} shows. {@code id} names the event (message, status, bounces so far), the same on every retry, so a
 * receiver can drop repeats. Redirects are not followed: a report goes where the key's owner said.
 */
public final class HttpWebhookTransport implements WebhookTransport {

    public static final String ID_HEADER = "Mailcast-Webhook-Id";

    private final HttpClient http;
    private final Duration timeout;
    private final Clock clock;

    public HttpWebhookTransport(Duration timeout, Clock clock) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public void post(PendingWebhook report, String url, String secret) throws WebhookException, InterruptedException {
        StoredMessage message = report.message();
        String id = eventId(message);
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("id", id).put("type", type(message));
        body.set("message", MessageJson.status(message));
        String json = body.toString();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", "application/json").header("User-Agent", "Mailcast-Webhooks/1")
                .header(ID_HEADER, id).header(WebhookSignature.HEADER, WebhookSignature.sign(secret, clock.instant(), json))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 != 2) {
                throw new WebhookException("the receiver answered HTTP " + status);
            }
        } catch (HttpTimeoutException e) {
            throw new WebhookException("no answer within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            throw new WebhookException("cannot reach the receiver: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    /** One id per event: the outcome, then each bounce or complaint recorded after it. */
    static String eventId(StoredMessage m) {
        return m.id() + ":" + m.status().name().toLowerCase(java.util.Locale.ROOT) + ":" + m.bounces().size();
    }

    static String type(StoredMessage m) {
        if (m.status() == MessageStatus.FAILED) {
            return "message.failed";
        }
        if (m.bounces().isEmpty()) {
            return "message.sent";
        }
        MessageBounce last = m.bounces().getLast();
        return "COMPLAINT".equals(last.kind()) ? "message.complained" : "message.bounced";
    }
}
