package io.mailcast.validation;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * How many paid checks this node has in flight: at most its own limit, and at most its share of the cluster's limit
 * (the cluster limit divided by the live nodes, re-read as members come and go). A share needs no shared counter, so
 * a dead node's checks never hold a permit; the price is that a node without work leaves its share unused.
 */
public final class ValidationSlots {

    private final int nodeLimit;
    private final int clusterLimit;
    private final IntSupplier liveNodes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private int inFlight;
    private int waiting;

    /** @param clusterLimit checks in flight across the cluster; {@link Integer#MAX_VALUE} for no cluster limit */
    public ValidationSlots(int nodeLimit, int clusterLimit, IntSupplier liveNodes) {
        if (nodeLimit < 1) {
            throw new IllegalArgumentException("validation concurrency per node must be at least 1, got " + nodeLimit);
        }
        if (clusterLimit < 1) {
            throw new IllegalArgumentException("validation concurrency per cluster must be at least 1, got " + clusterLimit);
        }
        this.nodeLimit = nodeLimit;
        this.clusterLimit = clusterLimit;
        this.liveNodes = liveNodes;
    }

    /** Checks this node may have in flight now. */
    public int limit() {
        int share = Math.max(1, clusterLimit / Math.max(1, liveNodes.getAsInt()));
        return Math.min(nodeLimit, share);
    }

    public void acquire() throws InterruptedException {
        lock.lock();
        try {
            waiting++;
            try {
                while (inFlight >= limit()) {
                    // Wakes up now and then as well: a member joining or leaving changes the share without a signal.
                    freed.await(1, TimeUnit.SECONDS);
                }
            } finally {
                waiting--;
            }
            inFlight++;
        } finally {
            lock.unlock();
        }
    }

    public void release() {
        lock.lock();
        try {
            inFlight--;
            freed.signal();
        } finally {
            lock.unlock();
        }
    }

    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    /** Whether another chunk would find a free slot: nothing queued for a slot and some slot free. */
    public boolean hasRoom() {
        lock.lock();
        try {
            return waiting == 0 && inFlight < limit();
        } finally {
            lock.unlock();
        }
    }
}
