package io.mailcast.subscriber;

import java.util.List;
import java.util.function.Consumer;

/** Read side of the subscriber list. */
public interface SubscriberSource {

    /**
     * Streams the ids of all eligible subscribers in ascending order.
     *
     * @throws IllegalArgumentException when the audience is refused or an id is of a kind that cannot be planned:
     *                                  input no retry can fix
     */
    void eligibleIds(Audience audience, Consumer<SubscriberId> consumer);

    /**
     * Eligible subscribers whose id lies in the range, ascending by id.
     *
     * @param plannedHint how many were eligible at planning (picks the query shape), or -1 when unknown
     */
    List<Subscriber> eligibleInRange(Audience audience, IdRange ids, int plannedHint);

    /** The first {@code limit} eligible subscribers by id: one query, for previews and test sends. */
    List<Subscriber> firstEligible(Audience audience, int limit);
}
