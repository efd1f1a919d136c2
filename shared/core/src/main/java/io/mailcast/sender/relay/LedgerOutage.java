package io.mailcast.sender.relay;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether this node reaches the quota ledger, logged once when it stops and once when it comes back: while it cannot be
 * reached, relays with quotas send nothing (never past a cap nobody can read), and every stock asks again now and then.
 */
final class LedgerOutage {

    private static final Logger log = LoggerFactory.getLogger(LedgerOutage.class);

    private final AtomicBoolean failing = new AtomicBoolean();
    private final AtomicLong failures = new AtomicLong();

    void failed(RuntimeException e) {
        failures.incrementAndGet();
        if (failing.compareAndSet(false, true)) {
            log.warn("the quota ledger cannot be reached ({}); relays with hourly or daily quotas send nothing until it "
                    + "answers", e.toString());
        } else {
            log.debug("the quota ledger still cannot be reached: {}", e.toString());
        }
    }

    void reached() {
        if (failing.get() && failing.compareAndSet(true, false)) {
            log.info("the quota ledger answers again after {} failed requests; quotas are counted again",
                    failures.getAndSet(0));
        }
    }
}
