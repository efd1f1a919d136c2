package io.mailcast.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailcast.message.Message;
import io.mailcast.message.StoredMessage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a message from its JSON object and writes a stored message's status. Reading is strict: unknown fields and
 * wrong types are refused with the field's name, so a typo ({@code "bcc"}, {@code "body"}) is never silently dropped.
 */
final class MessageJson {

    private static final Set<String> FIELDS = Set.of("from", "to", "cc", "replyTo", "subject", "text", "html", "headers",
            "tags", "idempotencyKey", "template", "data");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper OBJECTS = new ObjectMapper();

    private final int maxListItems;

    /** @param maxListItems longest recipient or tag list read at all; the validator applies the real limits */
    MessageJson(int maxListItems) {
        this.maxListItems = maxListItems;
    }

    /** @param prefix how fields are named in errors, e.g. {@code messages[3].} inside a batch */
    Message read(JsonNode node, String prefix) {
        if (node == null || !node.isObject()) {
            throw new ApiError(400, "a message must be a JSON object", prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1));
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            if (!FIELDS.contains(name)) {
                throw new ApiError(400, "unknown field '" + name + "'; known: " + FIELDS, prefix + name);
            }
        }
        return new Message(text(node, "from", prefix), list(node, "to", prefix), list(node, "cc", prefix),
                text(node, "replyTo", prefix), text(node, "subject", prefix), text(node, "text", prefix),
                text(node, "html", prefix), headers(node, prefix), list(node, "tags", prefix));
    }

    /** The template's values: any JSON object, {@code null} when absent. */
    static Map<String, Object> data(JsonNode node, String prefix) {
        JsonNode value = node.get("data");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new ApiError(400, "data must be a JSON object of the template's values", prefix + "data");
        }
        return OBJECTS.convertValue(value, new TypeReference<Map<String, Object>>() { });
    }

    static String text(JsonNode node, String name, String prefix) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ApiError(400, name + " must be a string", prefix + name);
        }
        return value.textValue();
    }

    /** A list of strings; a single string is taken as a list of one, as mail clients write "to". */
    private List<String> list(JsonNode node, String name, String prefix) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (value.isTextual()) {
            return List.of(value.textValue());
        }
        if (!value.isArray()) {
            throw new ApiError(400, name + " must be a string or an array of strings", prefix + name);
        }
        if (value.size() > maxListItems) {
            throw new ApiError(400, name + " has " + value.size() + " entries, at most " + maxListItems
                    + " are allowed", prefix + name);
        }
        List<String> items = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isTextual()) {
                throw new ApiError(400, name + "[" + i + "] must be a string", prefix + name + "[" + i + "]");
            }
            items.add(value.get(i).textValue());
        }
        return items;
    }

    private Map<String, String> headers(JsonNode node, String prefix) {
        JsonNode value = node.get("headers");
        if (value == null || value.isNull()) {
            return Map.of();
        }
        if (!value.isObject() || value.size() > maxListItems) {
            throw new ApiError(400, "headers must be an object of at most " + maxListItems + " names and string values",
                    prefix + "headers");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> header : value.properties()) {
            if (!header.getValue().isTextual()) {
                throw new ApiError(400, "header values must be strings", prefix + "headers." + header.getKey());
            }
            headers.put(header.getKey(), header.getValue().textValue());
        }
        return headers;
    }

    /** What {@code GET /v1/messages/{id}} shows. */
    static ObjectNode status(StoredMessage s) {
        ObjectNode out = JSON.objectNode();
        out.put("id", s.id());
        out.put("status", s.status().name());
        out.put("from", s.message().from());
        strings(out.putArray("to"), s.message().to());
        strings(out.putArray("cc"), s.message().cc());
        out.put("subject", s.message().subject());
        strings(out.putArray("tags"), s.message().tags());
        out.put("attempts", s.attempts());
        strings(out.putArray("delivered"), s.delivered());
        strings(out.putArray("suppressed"), s.suppressed());
        ArrayNode bounces = out.putArray("bounces");
        s.bounces().forEach(b -> bounces.addObject().put("recipient", b.recipient())
                .put("kind", b.kind().toLowerCase(Locale.ROOT)).put("status", b.status()).put("diagnostic", b.diagnostic())
                .put("at", iso(b.at())));
        out.put("relay", s.relay());
        out.put("reply", s.reply());
        out.put("uncertain", s.uncertain() != null);
        out.put("uncertainCause", s.uncertain() == null ? null : s.uncertain().label());
        out.put("acceptedAt", iso(s.acceptedAt()));
        out.put("updatedAt", iso(s.updatedAt()));
        return out;
    }

    /**
     * The body of an acceptance: the id, the same for the first request and every idempotent replay, and the
     * recipients left out because they are on the suppression list.
     */
    static ObjectNode accepted(StoredMessage s) {
        ObjectNode out = JSON.objectNode().put("id", s.id());
        strings(out.putArray("suppressed"), s.suppressed());
        return out;
    }

    static ObjectNode error(String error, String field) {
        return JSON.objectNode().put("error", error).put("field", field);
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
