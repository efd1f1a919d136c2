package io.mailcast.campaign;

import io.mailcast.chunk.ChunkCounts;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Durable campaign records. */
public interface CampaignStore {

    /** Inserts the campaign unless one with the same id exists; returns the stored one either way. */
    Campaign insertIfAbsent(Campaign campaign);

    Optional<Campaign> find(String id);

    List<Campaign> all();

    /** Campaigns in one of the given states. */
    List<Campaign> inStates(CampaignState... states);

    /** Campaigns not finished, and those finished at or after {@code since}, each with its reactions; one read. */
    Map<Campaign, CampaignReactions> reactionsOfUnfinishedOrFinishedSince(Instant since);

    /** Sets state and reason only if the current state is one of {@code from}; true when it changed. */
    boolean transition(String id, CampaignState to, String reason, Instant at, CampaignState... from);

    /** Marks a RUNNING campaign COMPLETED with its final counters; false when it was not RUNNING. */
    boolean completed(String id, ChunkCounts totals, Instant at);

    /** Adds {@code senderKind} (simulated, smtp, relays) to the kinds of sender that delivered the campaign. */
    void recordSender(String id, String senderKind);

    /** The kinds of sender that delivered the campaign so far, empty before its first chunk ran. */
    Set<String> senders(String id);

    /** What the campaign's recipients did after the send (unsubscribes, bounces, complaints), counted so far. */
    CampaignReactions reactions(String id);

    /** Counts one unsubscribe through the campaign's link. */
    void countUnsubscribe(String id);

    /** Records the planning result (eligible count and number of chunks). */
    void planned(String id, long eligible, int chunks);

    /**
     * Takes or renews the planning lease of a PLANNING campaign for {@code planner} until {@code until}. It succeeds
     * when the planner already holds it, when the lease ran out before {@code now}, or when no lease was ever written
     * and the campaign was created before {@code orphanedBefore} (its submitter died before taking one).
     */
    boolean holdPlanning(String id, String planner, Instant until, Instant now, Instant orphanedBefore);
}
