package io.mailcast.subscriber;

import java.util.Objects;

/**
 * Which subscribers a campaign goes to: the documents of {@code source}'s collection that match a MongoDB query
 * document in extended JSON, for example {@code {"subscribed": true, "attributes.country": "DE"}}. Eligibility is
 * evaluated when a chunk is sent, inside the id range planned at submit time.
 */
public record Audience(String filterJson, SubscriberMapping source) {

    public static final Audience SUBSCRIBED = new Audience("{\"subscribed\": true}");

    /** An audience in the default collection ({@link SubscriberMapping#DEFAULT}). */
    public Audience(String filterJson) {
        this(filterJson, SubscriberMapping.DEFAULT);
    }

    /** Every document of the same collection, whatever the filter says. */
    public Audience everyone() {
        return new Audience("{}", source);
    }

    public Audience {
        Objects.requireNonNull(filterJson, "filterJson");
        Objects.requireNonNull(source, "source");
        if (!filterJson.strip().startsWith("{")) {
            throw new IllegalArgumentException("audience filter must be a JSON object such as {\"subscribed\": true}, got: " + filterJson);
        }
    }
}
