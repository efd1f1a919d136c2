package io.mailcast.bounce;

import java.time.Instant;
import java.util.Optional;

/** Where bounces and complaints are kept: on the delivery they are about, counted per campaign. */
public interface BounceStore {

    /**
     * Records the report on the delivery of {@code token}: a bounce turns a SENT delivery BOUNCED, a complaint is kept
     * beside the outcome, and the campaign's count goes up. Only the first bounce and the first complaint of a
     * delivery are kept and counted, so a report sent twice changes nothing.
     *
     * @return the delivery's address and whether this report was its first of the kind; empty when there is no such
     * delivery
     */
    Optional<RecordedBounce> record(BounceToken token, BounceReport report, Instant at);

    /** Notes a soft bounce of {@code address} and returns how many it had at or after {@code since}, this one included. */
    long softBounce(String address, Instant at, Instant since);

    /**
     * @param address the delivery's address as it was mailed
     * @param first   the delivery had no report of this kind yet
     */
    record RecordedBounce(String address, boolean first) {
    }
}
