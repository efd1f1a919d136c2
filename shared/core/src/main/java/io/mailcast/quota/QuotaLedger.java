package io.mailcast.quota;

import java.util.List;

/**
 * How much of each relay's hourly and daily quota the whole cluster has used, kept where every node and a restart see
 * it (MongoDB's {@code relay_quotas} in production, {@link LocalQuotaLedger} for one process). Nodes take units in
 * batches and spend them locally (see {@code QuotaAllowance}), so the ledger sees one write per batch, not per message.
 *
 * <p>Every method is thread-safe and atomic on its own; {@link #take} is the guard that keeps used at or below the cap
 * however many nodes take at once.
 */
public interface QuotaLedger {

    /**
     * Takes up to {@code wanted} units of {@code relay}'s quota in {@code window}, never taking {@code used} beyond
     * {@code cap}.
     *
     * @param cap    the relay's quota for the window, as this node's relays file has it (at least 1)
     * @param wanted units asked for (at least 1)
     * @return units granted, from 0 (the window is used up, or too many nodes took at once) to {@code wanted}
     */
    long take(String relay, QuotaWindow window, long cap, long wanted);

    /**
     * Returns {@code units} taken earlier and not spent (a node stopping with allowance left). Never lowers used below
     * zero; an ended window may ignore it.
     */
    void giveBack(String relay, QuotaWindow window, long units);

    /** Units taken in {@code window} so far, 0 when nothing was taken. */
    long used(String relay, QuotaWindow window);

    /** What each relay has used in {@code window}, by relay name; relays nothing was taken for are absent. */
    List<QuotaUse> uses(QuotaWindow window);

    /** Rejects arguments no caller should pass, with the rule in the message. */
    static void check(String relay, QuotaWindow window, long cap, long units) {
        if (relay == null || relay.isEmpty() || window == null) {
            throw new IllegalArgumentException("a quota is counted per relay and window; got relay " + relay
                    + " and window " + window);
        }
        if (cap < 1 || units < 1) {
            throw new IllegalArgumentException("relay '" + relay + "' " + window + ": cap and units must be at least 1, "
                    + "got cap " + cap + " and " + units + " units");
        }
    }
}
