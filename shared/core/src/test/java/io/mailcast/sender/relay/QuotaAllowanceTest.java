package io.mailcast.sender.relay;

import io.mailcast.quota.LocalQuotaLedger;
import io.mailcast.quota.QuotaLedger;
import io.mailcast.quota.QuotaUse;
import io.mailcast.quota.QuotaWindow;
import io.mailcast.testing.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** A node's allowance against one real in-memory ledger, as several nodes would share MongoDB's. */
class QuotaAllowanceTest {

    private static final RelayEndpoint SIM = new RelayEndpoint.Simulated(Duration.ZERO, 0);

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-02T16:10:00Z"));
    private final RecordingLedger ledger = new RecordingLedger(new LocalQuotaLedger());
    private final QuotaWindow hour = QuotaWindow.current(QuotaWindow.Kind.HOUR, clock);
    private final QuotaWindow day = QuotaWindow.current(QuotaWindow.Kind.DAY, clock);

    private QuotaAllowance node(long perHour, long perDay) {
        return new QuotaAllowance(RelaySet.of(RelayConfig.of("r", SIM).withQuotas(perHour, perDay),
                RelayConfig.of("free", SIM)), ledger, clock);
    }

    @Test
    void batchesAreAFiftiethOfTheCapBetweenOneAndAHundred() {
        assertThat(QuotaAllowance.batchLimit(1)).isEqualTo(1);
        assertThat(QuotaAllowance.batchLimit(120)).isEqualTo(2);
        assertThat(QuotaAllowance.batchLimit(1_000)).isEqualTo(20);
        assertThat(QuotaAllowance.batchLimit(10_000_000)).isEqualTo(100);
    }

    @Test
    void batchesStartAtOneAndDoubleUpToTheLimitSoTheLedgerSeesOneWritePerBatch() {
        QuotaAllowance node = node(1_000_000, 0);
        for (int i = 0; i < 1_000; i++) {
            assertThat(node.take("r")).isTrue();
        }
        assertThat(ledger.asked).startsWith(1L, 2L, 4L, 8L, 16L, 32L, 64L, 100L, 100L).hasSize(16);
        assertThat(ledger.used("r", hour) - 1_000).as("held, not yet spent").isBetween(0L, 100L);
    }

    @Test
    void relaysWithoutQuotaNeverTouchTheLedger() {
        QuotaAllowance node = node(10, 0);
        for (int i = 0; i < 50; i++) {
            assertThat(node.take("free")).isTrue();
        }
        assertThat(node.hasRoom("free", clock.instant())).isTrue();
        assertThat(ledger.asked).isEmpty();
    }

    @Test
    void nodesSharingTheLedgerSendExactlyTheCapBetweenThem() {
        List<QuotaAllowance> nodes = List.of(node(120, 0), node(120, 0), node(120, 0));
        int sent = 0;
        boolean any = true;
        while (any) {
            any = false;
            for (QuotaAllowance node : nodes) {
                if (node.take("r")) {
                    sent++;
                    any = true;
                }
            }
        }
        assertThat(sent).isEqualTo(120);
        assertThat(ledger.used("r", hour)).isEqualTo(120);
        assertThat(nodes).allMatch(n -> !n.hasRoom("r", clock.instant()));
        assertThat(nodes.getFirst().renewsAt("r", clock.instant())).isEqualTo(hour.endsAt());
    }

    @Test
    void aSendCountsAgainstBothItsHourAndItsDay() {
        QuotaAllowance node = node(100, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(node.take("r")).isTrue();
        }
        assertThat(node.take("r")).as("the day is used up").isFalse();
        assertThat(ledger.used("r", day)).isEqualTo(3);
        assertThat(node.renewsAt("r", clock.instant())).isEqualTo(day.endsAt());

        clock.set(hour.endsAt());
        assertThat(node.take("r")).as("a new hour, the same day").isFalse();
        clock.set(day.endsAt());
        assertThat(node.hasRoom("r", clock.instant())).isTrue();
        assertThat(node.take("r")).isTrue();
    }

    @Test
    void aGracefulStopGivesUnspentUnitsBackForTheOtherNodes() {
        QuotaAllowance stopping = node(1_000, 0); // batches of up to 20
        for (int i = 0; i < 10; i++) {
            stopping.take("r");
        }
        assertThat(ledger.used("r", hour)).as("1 + 2 + 4 + 8 taken").isEqualTo(15);
        stopping.close();
        assertThat(ledger.used("r", hour)).isEqualTo(10);
        assertThat(stopping.take("r")).as("a closed allowance sends nothing").isFalse();
        assertThat(stopping.hasRoom("r", clock.instant())).isFalse();

        QuotaAllowance other = node(1_000, 0);
        int sent = 0;
        while (other.take("r")) {
            sent++;
        }
        assertThat(sent).isEqualTo(990);
    }

    @Test
    void aNodeThatDiesStrandsAtMostOneBatchAndTheCapStillHolds() {
        QuotaAllowance dead = node(1_000, 0);
        for (int i = 0; i < 40; i++) {
            dead.take("r");
        }
        long stranded = ledger.used("r", hour) - 40;
        assertThat(stranded).isBetween(0L, QuotaAllowance.batchLimit(1_000));
        // No close(): the process is gone with what it held.
        QuotaAllowance survivor = node(1_000, 0);
        int sent = 0;
        while (survivor.take("r")) {
            sent++;
        }
        assertThat(40 + sent).isEqualTo(1_000 - stranded);
        assertThat(ledger.used("r", hour)).isEqualTo(1_000);
    }

    @Test
    void aUsedUpWindowIsAskedAgainAfterAPauseForUnitsOthersGaveBack() {
        QuotaAllowance a = node(4, 0);
        QuotaAllowance b = node(4, 0);
        assertThat(a.take("r")).isTrue();
        int sentByB = 0;
        while (b.take("r")) {
            sentByB++;
        }
        assertThat(sentByB).isEqualTo(3);
        assertThat(b.hasRoom("r", clock.instant())).isFalse();
        int asksBefore = ledger.asked.size();
        assertThat(b.take("r")).isFalse();
        assertThat(ledger.asked).as("no ledger call while the pause runs").hasSize(asksBefore);

        ledger.giveBack("r", hour, 1); // as a stopping node would
        clock.advance(QuotaAllowance.RECHECK);
        assertThat(b.hasRoom("r", clock.instant())).isTrue();
        assertThat(b.take("r")).isTrue();
    }

    @Test
    void anUnreachableLedgerGrantsNothingUntilItAnswersAgain() {
        AtomicBoolean down = new AtomicBoolean(true);
        QuotaLedger flaky = new RecordingLedger(new LocalQuotaLedger()) {
            @Override
            public long take(String relay, QuotaWindow window, long cap, long wanted) {
                if (down.get()) {
                    throw new IllegalStateException("Timed out after 30000 ms while waiting for a server");
                }
                return super.take(relay, window, cap, wanted);
            }
        };
        QuotaAllowance node = new QuotaAllowance(RelaySet.of(RelayConfig.of("r", SIM).withQuotas(10, 0)), flaky, clock);
        assertThat(node.take("r")).isFalse();
        assertThat(node.hasRoom("r", clock.instant())).isFalse();
        assertThat(node.renewsAt("r", clock.instant())).as("the next look, not the window's end")
                .isEqualTo(clock.instant().plus(QuotaAllowance.RECHECK));
        down.set(false);
        clock.advance(QuotaAllowance.RECHECK);
        assertThat(node.take("r")).isTrue();
    }

    /** The real in-memory ledger, noting how many units each take asked for. */
    private static class RecordingLedger implements QuotaLedger {
        final List<Long> asked = new CopyOnWriteArrayList<>();
        private final QuotaLedger ledger;

        RecordingLedger(QuotaLedger ledger) {
            this.ledger = ledger;
        }

        @Override
        public long take(String relay, QuotaWindow window, long cap, long wanted) {
            asked.add(wanted);
            return ledger.take(relay, window, cap, wanted);
        }

        @Override
        public void giveBack(String relay, QuotaWindow window, long units) {
            ledger.giveBack(relay, window, units);
        }

        @Override
        public long used(String relay, QuotaWindow window) {
            return ledger.used(relay, window);
        }

        @Override
        public List<QuotaUse> uses(QuotaWindow window) {
            return ledger.uses(window);
        }
    }
}
