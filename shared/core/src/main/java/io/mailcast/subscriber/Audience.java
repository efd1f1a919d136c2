package io.mailcast.subscriber;

import java.util.Objects;

/**
 * Which subscribers a campaign goes to, as a MongoDB query document in extended JSON, for example
 * {@code {"subscribed": true, "attributes.country": "DE"}}. Eligibility is evaluated when a chunk is sent, inside the
 * id range planned at submit time.
 */
public record Audience(String filterJson) {

    /** Every document of the collection. */
    public static final Audience EVERYONE = new Audience("{}");

    public static final Audience SUBSCRIBED = new Audience("{\"subscribed\": true}");

    public Audience {
        Objects.requireNonNull(filterJson, "filterJson");
        if (!filterJson.strip().startsWith("{")) {
            throw new IllegalArgumentException("audience filter must be a JSON object such as {\"subscribed\": true}, got: " + filterJson);
        }
    }
}
