package io.mailcast.subscriber;

import java.util.List;
import java.util.function.LongConsumer;

/** Read side of the subscriber list. */
public interface SubscriberSource {

    /** Streams the ids of all eligible subscribers in ascending order. */
    void eligibleIds(Audience audience, LongConsumer consumer);

    /**
     * Eligible subscribers whose id lies in {@code [firstId, lastId]}, ascending by id.
     *
     * @param plannedHint how many were eligible at planning (picks the query shape), or -1 when unknown
     */
    List<Subscriber> eligibleInRange(Audience audience, long firstId, long lastId, int plannedHint);
}
