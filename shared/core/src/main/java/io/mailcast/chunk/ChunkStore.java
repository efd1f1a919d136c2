package io.mailcast.chunk;

import io.mailcast.subscriber.SubscriberId;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Durable copy of chunk progress, so a whole-cluster restart resumes where it stopped. Writes from a node are fenced
 * by the epoch of its claim: an owner that lost its chunk cannot overwrite its successor's progress.
 */
public interface ChunkStore {

    /** Stores the planned chunks; chunks already stored are left as they are. */
    void insertAll(Collection<ChunkRecord> chunks);

    /** Drops the chunks of a campaign whose planning was interrupted (nothing was sent for it). */
    void deleteCampaign(String campaignId);

    List<ChunkRecord> load(String campaignId);

    Optional<ChunkRecord> find(String key);

    /**
     * Records a claim and returns the stored chunk as it is now; empty when a later claim is recorded or the chunk is
     * already DONE (a stale board on the other side of a partition must not reopen finished work).
     */
    Optional<ChunkRecord> claimed(ChunkRecord claimed);

    /** Raises the reservation (before sends beyond it start) and stores counters; false when fenced out. */
    boolean checkpoint(ChunkRecord held, SubscriberId reserveThrough, ChunkCounts counts);

    boolean completed(ChunkRecord held, ChunkCounts counts);

    boolean released(ChunkRecord held, ChunkCounts counts);

    /**
     * Records a chunk the board knows is DONE but the store does not: its owner died between the two writes. Only
     * forward: a stored DONE is left as it is.
     */
    void repairDone(ChunkRecord done);

    /** A DONE chunk back to QUEUED (retry of failures); false when it is not DONE. */
    boolean reopened(ChunkRecord done);
}
