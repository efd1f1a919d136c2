package io.mailcast.subscriber;

import java.util.Map;
import java.util.Objects;

/**
 * One entry of the subscriber list.
 *
 * @param attributes free-form fields (city, plan, ...) usable in templates as {@code {{attributes.city}}}
 * @param fields     the document's fields templates see by name ({@code {{plan}}}, {@code {{address.city}}})
 */
public record Subscriber(SubscriberId id, String email, String name, boolean subscribed, Map<String, Object> attributes,
                         Map<String, Object> fields) {

    public Subscriber {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        attributes = attributes == null ? Map.of() : attributes;
        fields = fields == null ? Map.of() : fields;
    }

    /** A subscriber whose templates see only id, email, name and attributes. */
    public Subscriber(SubscriberId id, String email, String name, boolean subscribed, Map<String, Object> attributes) {
        this(id, email, name, subscribed, attributes, Map.of());
    }

    /** A subscriber with a numeric id, as tests and generated lists have. */
    public Subscriber(long id, String email, String name, boolean subscribed, Map<String, Object> attributes) {
        this(SubscriberId.of(id), email, name, subscribed, attributes, Map.of());
    }
}
