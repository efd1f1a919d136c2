package io.mailcast.subscriber;

import java.util.Map;
import java.util.Objects;

/**
 * One entry of the subscriber list.
 *
 * @param attributes free-form fields (city, plan, ...) usable in templates as {@code {{attributes.city}}}
 */
public record Subscriber(SubscriberId id, String email, String name, boolean subscribed, Map<String, Object> attributes) {

    public Subscriber {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        attributes = attributes == null ? Map.of() : attributes;
    }

    /** A subscriber with a numeric id, as tests and generated lists have. */
    public Subscriber(long id, String email, String name, boolean subscribed, Map<String, Object> attributes) {
        this(SubscriberId.of(id), email, name, subscribed, attributes);
    }
}
