package io.mailcast.quota;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every {@link QuotaLedger} promises; each implementation's test extends this with a fresh, empty ledger. */
public abstract class QuotaLedgerContract {

    protected static final QuotaWindow HOUR = QuotaWindow.containing(QuotaWindow.Kind.HOUR,
            Instant.parse("2026-12-02T16:20:00Z"));
    protected static final QuotaWindow DAY = QuotaWindow.containing(QuotaWindow.Kind.DAY, HOUR.start());
    private static final int TAKERS = 64;

    private QuotaLedger ledger;

    /** A ledger with nothing counted. */
    protected abstract QuotaLedger newLedger();

    @BeforeEach
    final void freshLedger() {
        ledger = newLedger();
    }

    protected final QuotaLedger ledger() {
        return ledger;
    }

    @Test
    void grantsUpToTheCapAndThenNothing() {
        assertThat(ledger.used("r", HOUR)).isZero();
        assertThat(ledger.take("r", HOUR, 10, 4)).isEqualTo(4);
        assertThat(ledger.take("r", HOUR, 10, 4)).isEqualTo(4);
        assertThat(ledger.take("r", HOUR, 10, 4)).as("what is left").isEqualTo(2);
        assertThat(ledger.take("r", HOUR, 10, 1)).isZero();
        assertThat(ledger.used("r", HOUR)).isEqualTo(10);
    }

    @Test
    void relaysAndWindowsAreCountedApart() {
        ledger.take("r", HOUR, 5, 5);
        QuotaWindow nextHour = QuotaWindow.containing(QuotaWindow.Kind.HOUR, HOUR.endsAt());
        assertThat(ledger.take("r", nextHour, 5, 3)).isEqualTo(3);
        assertThat(ledger.take("r", DAY, 5, 2)).isEqualTo(2);
        assertThat(ledger.take("other", HOUR, 5, 5)).isEqualTo(5);
        assertThat(ledger.used("r", HOUR)).isEqualTo(5);
        assertThat(ledger.used("r", nextHour)).isEqualTo(3);
        assertThat(ledger.used("r", DAY)).isEqualTo(2);
        assertThat(ledger.used("other", DAY)).isZero();
    }

    @Test
    void unitsGivenBackCanBeTakenAgain() {
        ledger.take("r", HOUR, 5, 5);
        ledger.giveBack("r", HOUR, 2);
        assertThat(ledger.used("r", HOUR)).isEqualTo(3);
        assertThat(ledger.take("r", HOUR, 5, 5)).isEqualTo(2);
    }

    @Test
    void givingBackNeverCountsBelowZero() {
        ledger.giveBack("r", HOUR, 3);
        assertThat(ledger.used("r", HOUR)).isZero();
        ledger.take("r", HOUR, 5, 2);
        ledger.giveBack("r", HOUR, 3);
        assertThat(ledger.used("r", HOUR)).isBetween(0L, 2L);
    }

    @Test
    void aNodeWithASmallerCapIsHeldToItsOwn() {
        assertThat(ledger.take("r", HOUR, 10, 8)).isEqualTo(8);
        assertThat(ledger.take("r", HOUR, 5, 3)).as("already past this node's cap").isZero();
        assertThat(ledger.take("r", HOUR, 10, 5)).isEqualTo(2);
    }

    @Test
    void listsWhatEachRelayUsedInAWindow() {
        ledger.take("b", HOUR, 50, 7);
        ledger.take("a", HOUR, 20, 3);
        ledger.take("a", DAY, 100, 9);
        assertThat(ledger.uses(HOUR)).containsExactly(new QuotaUse("a", HOUR, 3, 20), new QuotaUse("b", HOUR, 7, 50));
        assertThat(ledger.uses(DAY)).containsExactly(new QuotaUse("a", DAY, 9, 100));
        assertThat(ledger.uses(QuotaWindow.containing(QuotaWindow.Kind.DAY, DAY.endsAt()))).isEmpty();
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> ledger.take("r", HOUR, 0, 1)).hasMessageContaining("cap and units must be at least 1");
        assertThatThrownBy(() -> ledger.take("r", HOUR, 5, 0)).hasMessageContaining("cap and units must be at least 1");
        assertThatThrownBy(() -> ledger.giveBack("", HOUR, 1)).hasMessageContaining("per relay and window");
    }

    /** Nodes refilling at once: the grants add up to exactly the cap, and nobody ever sees more than the cap used. */
    @Test
    void concurrentTakersTogetherGetExactlyTheCap() throws Exception {
        long cap = 500;
        Takes takes = takeConcurrently(cap, 12);
        assertThat(takes.wanted()).as("more asked than the cap").isGreaterThan(cap);
        assertThat(takes.granted()).isEqualTo(cap);
        assertThat(ledger.used("r", HOUR)).isEqualTo(cap);
        assertThat(takes.overCap()).as("reads of used above the cap").isZero();
    }

    /** With room for everyone, each taker gets all it asked for. */
    @Test
    void concurrentTakersWithinTheCapGetAllTheyAskFor() throws Exception {
        Takes takes = takeConcurrently(1_000_000, 3);
        assertThat(takes.granted()).isEqualTo(takes.wanted());
        assertThat(ledger.used("r", HOUR)).isEqualTo(takes.granted());
    }

    /** What the takers asked for and got in all, and how often one of them read a used count above the cap. */
    private record Takes(long wanted, long granted, long overCap) {
    }

    /** {@value #TAKERS} virtual threads, released together, each asking {@code asks} times for 1 to 9 units. */
    private Takes takeConcurrently(long cap, int asks) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        AtomicLong overCap = new AtomicLong();
        List<Future<long[]>> takers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < TAKERS; t++) {
                takers.add(threads.submit(() -> {
                    start.await();
                    long wanted = 0;
                    long granted = 0;
                    for (int i = 0; i < asks; i++) {
                        long ask = ThreadLocalRandom.current().nextLong(1, 10);
                        long got = ledger.take("r", HOUR, cap, ask);
                        assertThat(got).isBetween(0L, ask);
                        wanted += ask;
                        granted += got;
                        if (ledger.used("r", HOUR) > cap) {
                            overCap.incrementAndGet();
                        }
                    }
                    return new long[] {wanted, granted};
                }));
            }
            start.countDown();
        }
        long wanted = 0;
        long granted = 0;
        for (Future<long[]> taker : takers) {
            wanted += taker.get()[0];
            granted += taker.get()[1];
        }
        return new Takes(wanted, granted, overCap.get());
    }
}
