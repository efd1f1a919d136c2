package io.mailcast.chunk;

import io.mailcast.subscriber.SubscriberId;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster-wide table of chunks and the queue that hands them out. Every state change is a compare-and-set
 * against the owner and epoch a caller read, so a stale or duplicate caller loses harmlessly.
 */
public interface ChunkBoard {

    /** Stores chunks that are not stored yet and offers the queued ones. Idempotent. */
    void publish(Collection<ChunkRecord> chunks);

    /** Next chunk key from the hand-out queue, waiting up to {@code wait}; a key is only a hint to try a claim. */
    Optional<String> nextKey(Duration wait) throws InterruptedException;

    /** Claims a QUEUED chunk for {@code node}; empty when it is not QUEUED any more (someone else won). */
    Optional<ChunkRecord> claim(String key, String node, long now, long leaseMillis);

    /**
     * Renews the owner's lease, raises the reservation to {@code reserveThrough} and stores counters. False when the
     * caller no longer owns the chunk, in which case it must stop sending.
     */
    boolean checkpoint(ChunkRecord held, long until, SubscriberId reserveThrough, ChunkCounts counts);

    /** Marks the chunk DONE if the caller still owns it. */
    boolean complete(ChunkRecord held, ChunkCounts counts);

    /** Graceful hand-back: every dispatched send has a recorded outcome. Re-offers the chunk. */
    boolean release(ChunkRecord held, long now, ChunkCounts counts);

    /**
     * Takes the chunk away from {@code expected}'s owner (gone or lease expired) and re-offers it; its reservation stays
     * so the next owner knows which recipients are in doubt. False when the chunk changed meanwhile.
     */
    boolean reclaim(ChunkRecord expected, long now);

    /** Offers a QUEUED chunk's key again (its earlier queue item was lost with a node) and stamps {@code queuedAt}. */
    boolean reoffer(ChunkRecord expected, long now);

    /** Puts a DONE chunk back in the queue (see {@link ChunkRecord#reopened}); false when it is not DONE any more. */
    boolean reopen(ChunkRecord expected, long now);

    /**
     * Marks the chunk DONE because the durable store holds it DONE (see {@link ChunkTransition.SettleDone}); false when
     * the board already had it DONE or does not hold it.
     */
    boolean settleDone(ChunkRecord doneInStore);

    Optional<ChunkRecord> get(String key);

    List<ChunkRecord> chunksOf(String campaignId);

    /** Keys currently waiting in the hand-out queue. */
    Set<String> queuedKeys();

    /** Removes a finished or cancelled campaign's chunks from the board (they stay in the durable store). */
    void forget(String campaignId);
}
