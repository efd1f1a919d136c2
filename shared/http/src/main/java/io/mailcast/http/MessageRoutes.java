package io.mailcast.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.mailcast.apikey.ApiKey;
import io.mailcast.message.InvalidMessageException;
import io.mailcast.message.Message;
import io.mailcast.message.MessageIntake;
import io.mailcast.message.MessageStore;
import io.mailcast.message.RecipientsSuppressedException;
import io.mailcast.message.SenderNotAllowedException;
import io.mailcast.message.StoredMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** The handlers of {@code /v1/messages}: authenticate, read, admit by rate, then hand over to the core. */
final class MessageRoutes {

    private static final Logger log = LoggerFactory.getLogger(MessageRoutes.class);
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final MessageIntake intake;
    private final MessageStore store;
    private final Authenticator auth;
    private final SendApiConfig config;
    private final Clock clock;
    private final JsonBodies bodies = new JsonBodies();
    private final MessageJson json;
    // Logs a store outage once when it starts and once when it ends, not once per refused request.
    private final AtomicBoolean storeFailing = new AtomicBoolean();

    MessageRoutes(MessageIntake intake, MessageStore store, Authenticator auth, SendApiConfig config, int maxRecipients,
                  Clock clock) {
        this.intake = intake;
        this.store = store;
        this.auth = auth;
        this.config = config;
        this.clock = clock;
        this.json = new MessageJson(maxRecipients);
    }

    void send(Context ctx) {
        ApiKey key = auth.authenticate(ctx.header("Authorization"));
        JsonNode body = bodies.read(ctx, config.maxMessageBytes());
        Message message = json.read(body, "");
        auth.admit(key, 1);
        message = withTemplate(body, message, "");
        String idempotencyKey = Optional.ofNullable(ctx.header(IDEMPOTENCY_KEY))
                .orElse(MessageJson.text(body, "idempotencyKey", ""));
        MessageStore.Accepted accepted = submit(key, message, idempotencyKey, "");
        ctx.header("Location", "/v1/messages/" + accepted.message().id());
        bodies.write(ctx, accepted.created() ? 202 : 200, MessageJson.accepted(accepted.message()));
    }

    /** Each item succeeds or fails on its own; the batch answers 200 with one result per item, in order. */
    void batch(Context ctx) {
        ApiKey key = auth.authenticate(ctx.header("Authorization"));
        JsonNode body = bodies.read(ctx, config.maxBatchBytes());
        JsonNode items = body.isObject() ? body.get("messages") : null;
        if (items == null || !items.isArray() || items.isEmpty() || items.size() > config.maxBatchItems()) {
            throw new ApiError(400, "a batch is {\"messages\": [...]} with 1 to " + config.maxBatchItems() + " messages",
                    "messages");
        }
        auth.admit(key, items.size());
        String batchKey = ctx.header(IDEMPOTENCY_KEY);
        ArrayNode results = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < items.size(); i++) {
            String prefix = "messages[" + i + "].";
            ObjectNode result = results.addObject().put("index", i);
            try {
                Message message = withTemplate(items.get(i), json.read(items.get(i), prefix), prefix);
                String own = MessageJson.text(items.get(i), "idempotencyKey", prefix);
                String idempotencyKey = own != null ? own : batchKey != null ? batchKey + ":" + i : null;
                MessageStore.Accepted accepted = submit(key, message, idempotencyKey, prefix);
                result.put("status", accepted.created() ? 202 : 200).setAll(MessageJson.accepted(accepted.message()));
            } catch (ApiError e) {
                result.put("status", e.status()).put("error", e.getMessage()).put("field", e.field());
            }
        }
        bodies.write(ctx, 200, JsonNodeFactory.instance.objectNode().set("results", results));
    }

    void status(Context ctx) {
        ApiKey key = auth.authenticate(ctx.header("Authorization"));
        StoredMessage message = store.find(ctx.pathParam("id"), key.id())
                .orElseThrow(() -> new ApiError(404, "no message with this id for this API key", "id"));
        bodies.write(ctx, 200, MessageJson.status(message));
    }

    void cancel(Context ctx) {
        ApiKey key = auth.authenticate(ctx.header("Authorization"));
        String id = ctx.pathParam("id");
        Optional<StoredMessage> cancelled = store.cancel(id, key.id(), clock.instant());
        if (cancelled.isPresent()) {
            bodies.write(ctx, 200, MessageJson.status(cancelled.get()));
            return;
        }
        StoredMessage message = store.find(id, key.id())
                .orElseThrow(() -> new ApiError(404, "no message with this id for this API key", "id"));
        throw new ApiError(409, "message is " + message.status() + "; only a QUEUED message can be cancelled", "id");
    }

    /** The message with its named template rendered, when it names one. */
    private Message withTemplate(JsonNode body, Message message, String prefix) {
        String template = MessageJson.text(body, "template", prefix);
        Map<String, Object> data = MessageJson.data(body, prefix);
        if (template == null) {
            if (data != null) {
                throw new ApiError(400, "data goes with a template; name one in \"template\"", prefix + "data");
            }
            return message;
        }
        try {
            return intake.fromTemplate(template, data, message);
        } catch (InvalidMessageException e) {
            throw new ApiError(400, e.getMessage(), prefix + e.field());
        }
    }

    private MessageStore.Accepted submit(ApiKey key, Message message, String idempotencyKey, String prefix) {
        try {
            MessageStore.Accepted accepted = intake.submit(key, message, idempotencyKey);
            if (storeFailing.compareAndSet(true, false)) {
                log.info("send API stores messages again");
            }
            return accepted;
        } catch (InvalidMessageException e) {
            String field = e.field() == null || e.field().equals(IDEMPOTENCY_KEY) ? e.field() : prefix + e.field();
            throw new ApiError(400, e.getMessage(), field);
        } catch (SenderNotAllowedException e) {
            throw new ApiError(403, e.getMessage(), prefix + "from");
        } catch (RecipientsSuppressedException e) {
            throw new ApiError(422, e.getMessage(), prefix + "to");
        } catch (RuntimeException e) {
            if (storeFailing.compareAndSet(false, true)) {
                log.warn("send API cannot store messages, answering 503: {}", e.toString());
            }
            throw new ApiError(503, "the message could not be stored; retry with the same Idempotency-Key", null);
        }
    }
}
