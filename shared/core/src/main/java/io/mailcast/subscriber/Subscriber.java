package io.mailcast.subscriber;

import java.util.Map;
import java.util.Objects;

/**
 * One entry of the subscriber list.
 *
 * @param attributes free-form fields (city, plan, ...) usable in templates as {@code {{attributes.city}}}
 */
public record Subscriber(long id, String email, String name, boolean subscribed, Map<String, Object> attributes) {

    public Subscriber {
        Objects.requireNonNull(email, "email");
        attributes = attributes == null ? Map.of() : attributes;
    }
}
