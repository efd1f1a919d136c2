package io.mailcast.sender.relay;

import io.mailcast.quota.QuotaLedger;
import io.mailcast.quota.QuotaWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * This node's units of one relay's hourly or daily quota: taken from the {@link QuotaLedger} in batches, spent one per
 * send. Sends spend without a lock; only a refill (one ledger write) is serialised, and the threads that queue behind
 * it find the new batch.
 *
 * <p>Batches start at one unit in each window and double up to {@code maxBatch}: a node sending a trickle holds
 * little, a node sending a campaign writes to the ledger once per {@code maxBatch} sends.
 */
final class QuotaStock {

    private static final Logger log = LoggerFactory.getLogger(QuotaStock.class);

    /**
     * @param recheckAt when the ledger granted less than asked: do not ask again before then (others may give back
     *                  units meanwhile); {@code null} while the ledger had enough
     * @param usedUp    whether this node has logged that the window is used up
     * @param unreachable whether the last ask failed: then there may be room, and the next look is the answer
     */
    private record State(QuotaWindow window, long left, long nextBatch, Instant recheckAt, boolean usedUp,
                         boolean unreachable) {
    }

    private final String relay;
    private final long cap;
    private final long maxBatch;
    private final QuotaLedger ledger;
    private final LedgerOutage outage;
    private final Duration recheck;
    private final ReentrantLock refill = new ReentrantLock();
    private final AtomicReference<State> state;

    QuotaStock(String relay, QuotaWindow.Kind kind, long cap, long maxBatch, QuotaLedger ledger, LedgerOutage outage,
               Duration recheck, Instant now) {
        this.relay = relay;
        this.cap = cap;
        this.maxBatch = maxBatch;
        this.ledger = ledger;
        this.outage = outage;
        this.recheck = recheck;
        this.state = new AtomicReference<>(fresh(QuotaWindow.containing(kind, now)));
    }

    /** Whether a send may find a unit now: cheap, no ledger call (relays are chosen under a lock). */
    boolean hasRoom(Instant now) {
        State s = state.get();
        return !now.isBefore(s.window().endsAt()) || s.left() > 0 || s.recheckAt() == null || !now.isBefore(s.recheckAt());
    }

    /** When the used-up window ends (the next look while the ledger is unreachable); {@code null} with room. */
    Instant renewsAt(Instant now) {
        State s = state.get();
        return hasRoom(now) ? null : s.unreachable() ? s.recheckAt() : s.window().endsAt();
    }

    /** Spends one unit, refilling from the ledger when none is left; false when the ledger has none for this node. */
    boolean take(Instant now) {
        if (spendOne(now)) {
            return true;
        }
        refill.lock();
        try {
            while (true) {
                if (spendOne(now)) {
                    return true; // another thread refilled (or put a unit back) while this one queued
                }
                State s = state.updateAndGet(current -> inForce(current, now));
                if (s.left() > 0) {
                    continue;
                }
                if (s.recheckAt() != null && now.isBefore(s.recheckAt())) {
                    return false;
                }
                State refilled = refilled(s, now);
                // Merged, not replaced: units granted must never vanish, even if a unit was put back meanwhile.
                state.updateAndGet(current -> current.window().equals(s.window())
                        ? new State(s.window(), current.left() + refilled.left(), refilled.nextBatch(),
                        refilled.recheckAt(), refilled.usedUp(), refilled.unreachable()) : current);
            }
        } finally {
            refill.unlock();
        }
    }

    /** Returns a unit taken by {@link #take} and not used (the send's other window had none); dropped if the window ended. */
    void putBack(Instant now) {
        state.updateAndGet(s -> now.isBefore(s.window().endsAt()) ? withLeft(s, s.left() + 1) : s);
    }

    /** Gives the units left in the current window back to the ledger, for other nodes; returns how many. */
    long giveBack(Instant now) {
        refill.lock();
        try {
            State s = state.getAndUpdate(current -> withLeft(current, 0));
            if (s.left() == 0 || !now.isBefore(s.window().endsAt())) {
                return 0;
            }
            try {
                ledger.giveBack(relay, s.window(), s.left());
                return s.left();
            } catch (RuntimeException e) {
                log.warn("relay {} {}: could not give back {} unused units ({}); they stay counted as used, so the "
                        + "cluster may send that many fewer in this window", relay, s.window(), s.left(), e.toString());
                return 0;
            }
        } finally {
            refill.unlock();
        }
    }

    private boolean spendOne(Instant now) {
        while (true) {
            State s = state.get();
            // A stale "now" (read before another thread moved to a newer window) spends from the newer window.
            if (s.left() == 0 || !now.isBefore(s.window().endsAt())) {
                return false;
            }
            if (state.compareAndSet(s, withLeft(s, s.left() - 1))) {
                return true;
            }
        }
    }

    /** The state for {@code now}: a new, whole window once the old one ended; never back to an earlier window. */
    private State inForce(State s, Instant now) {
        return now.isBefore(s.window().endsAt()) ? s : fresh(QuotaWindow.containing(s.window().kind(), now));
    }

    /** Called with the refill lock held and no units left: one ledger call. */
    private State refilled(State s, Instant now) {
        long wanted = s.nextBatch();
        long granted;
        try {
            granted = ledger.take(relay, s.window(), cap, wanted);
            outage.reached();
        } catch (RuntimeException e) {
            outage.failed(e);
            // Unknown means none: sends wait rather than risk the provider's cap.
            return new State(s.window(), 0, wanted, now.plus(recheck), s.usedUp(), true);
        }
        boolean usedUp = s.usedUp();
        if (granted < wanted && !usedUp) {
            usedUp = true;
            log.info("relay {}: the cluster's {} quota of {} is used up ({}); it renews at {}", relay,
                    s.window().kind().noun(), cap, s.window().key(), s.window().endsAt());
        }
        return new State(s.window(), granted, Math.min(maxBatch, wanted * 2), granted < wanted ? now.plus(recheck) : null,
                usedUp, false);
    }

    private static State fresh(QuotaWindow window) {
        return new State(window, 0, 1, null, false, false);
    }

    private static State withLeft(State s, long left) {
        return new State(s.window(), left, s.nextBatch(), s.recheckAt(), s.usedUp(), s.unreachable());
    }
}
