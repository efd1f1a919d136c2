package io.mailcast.sender.relay;

import io.mailcast.quota.QuotaLedger;
import io.mailcast.quota.QuotaWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * This node's share of the relays' hourly and daily quotas, drawn on demand from the cluster-wide {@link QuotaLedger}.
 * A send takes one unit of its relay's hour and one of its day (relays without a quota take nothing); units come from
 * the ledger in batches of at most {@link #batchLimit} and are spent here.
 *
 * <p>The cap holds across the cluster, restarts and membership changes, because only the ledger grants units. The price
 * of batching: a node that dies loses the units it held, at most one batch per relay and window, and the cluster may
 * then send that many fewer than the cap in those windows. A node that stops gracefully gives its units back.
 */
public final class QuotaAllowance implements AutoCloseable {

    /** The largest batch, so a dead node strands at most this many units of a window. */
    public static final long MAX_BATCH = 100;
    /** How long a node waits before asking the ledger again for a window it found used up. */
    public static final Duration RECHECK = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(QuotaAllowance.class);

    private final Map<String, List<QuotaStock>> stocks = new HashMap<>();
    private final Clock clock;
    private volatile boolean closed;

    public QuotaAllowance(RelaySet relays, QuotaLedger ledger, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(ledger, "ledger");
        LedgerOutage outage = new LedgerOutage();
        Instant now = clock.instant();
        for (RelayConfig relay : relays.relays()) {
            List<QuotaStock> own = new ArrayList<>(2);
            if (relay.perHour() > 0) {
                own.add(new QuotaStock(relay.name(), QuotaWindow.Kind.HOUR, relay.perHour(), batchLimit(relay.perHour()),
                        ledger, outage, RECHECK, now));
            }
            if (relay.perDay() > 0) {
                own.add(new QuotaStock(relay.name(), QuotaWindow.Kind.DAY, relay.perDay(), batchLimit(relay.perDay()),
                        ledger, outage, RECHECK, now));
            }
            stocks.put(relay.name(), List.copyOf(own));
        }
    }

    /** A fiftieth of the cap, between 1 and {@value #MAX_BATCH}: at most 2 % of a window is stranded per dead node. */
    public static long batchLimit(long cap) {
        return Math.min(MAX_BATCH, Math.max(1, cap / 50));
    }

    /** Whether {@code relay} may have quota now; cheap and without I/O, for choosing a relay. */
    public boolean hasRoom(String relay, Instant now) {
        List<QuotaStock> own = stocksOf(relay);
        if (own.isEmpty()) {
            return true;
        }
        if (closed) {
            return false;
        }
        for (QuotaStock stock : own) {
            if (!stock.hasRoom(now)) {
                return false;
            }
        }
        return true;
    }

    /** When {@code relay}'s used-up quota renews (the later window end if both are used up); {@code null} with room. */
    public Instant renewsAt(String relay, Instant now) {
        Instant latest = null;
        for (QuotaStock stock : stocksOf(relay)) {
            Instant renews = stock.renewsAt(now);
            if (renews != null && (latest == null || renews.isAfter(latest))) {
                latest = renews;
            }
        }
        return latest;
    }

    /** Counts one send on {@code relay} against its hour and its day; false, with nothing counted, when either is out. */
    public boolean take(String relay) {
        List<QuotaStock> own = stocksOf(relay);
        if (own.isEmpty()) {
            return true;
        }
        if (closed) {
            return false;
        }
        Instant now = clock.instant();
        for (int i = 0; i < own.size(); i++) {
            if (!own.get(i).take(now)) {
                for (int j = 0; j < i; j++) {
                    own.get(j).putBack(now);
                }
                return false;
            }
        }
        return true;
    }

    /** Stops taking and gives unspent units back to the ledger for the other nodes; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Instant now = clock.instant();
        long returned = 0;
        for (List<QuotaStock> own : stocks.values()) {
            for (QuotaStock stock : own) {
                returned += stock.giveBack(now);
            }
        }
        if (returned > 0) {
            log.info("gave {} unused relay quota units back to the cluster", returned);
        }
    }

    private List<QuotaStock> stocksOf(String relay) {
        List<QuotaStock> own = stocks.get(relay);
        if (own == null) {
            throw new IllegalArgumentException("no relay named '" + relay + "'; known: " + stocks.keySet());
        }
        return own;
    }
}
