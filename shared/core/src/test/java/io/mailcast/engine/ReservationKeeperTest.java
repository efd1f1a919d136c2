package io.mailcast.engine;

import io.mailcast.sender.SendWithheldException;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.testing.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ReservationKeeperTest {

    private static final List<Subscriber> TODO = LongStream.rangeClosed(1, 100)
            .mapToObj(i -> new Subscriber(i, "s" + i + "@example.org", null, true, Map.of())).toList();

    private final SettableClock clock = new SettableClock();
    private final List<SubscriberId> written = new CopyOnWriteArrayList<>();

    private ReservationKeeper keeper(ReservationKeeper.Write write) {
        return new ReservationKeeper(null, new ReservationPace(clock, 500, 1), write);
    }

    @Test
    void aMessageBeyondTheMarkLeavesOnlyOnceTheNextStepIsWritten() throws Exception {
        var keeper = keeper(through -> written.add(through));
        keeper.beforeHandOver(TODO, 0);
        assertThat(written).containsExactly(SubscriberId.of(ReservationPace.MIN_STEP));
        assertThat(keeper.through()).isEqualTo(SubscriberId.of(ReservationPace.MIN_STEP));
    }

    @Test
    void nearTheMarkTheNextStepIsWrittenAheadWithoutMakingTheMessageWait() throws Exception {
        CountDownLatch slowStore = new CountDownLatch(1);
        var keeper = keeper(through -> {
            written.add(through);
            if (written.size() > 1) {
                awaitQuietly(slowStore);
            }
            return true;
        });
        keeper.beforeHandOver(TODO, 0); // reserves 1..8
        keeper.beforeHandOver(TODO, 5); // within half a step of the mark: the write ahead starts, the send goes on
        assertThat(keeper.through()).as("still the first mark while the store is slow").isEqualTo(SubscriberId.of(8));
        slowStore.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> keeper.through().compareTo(SubscriberId.of(8)) > 0);
        assertThat(written).hasSize(2);
        // A message past the first mark now goes without another write.
        keeper.beforeHandOver(TODO, 8);
        assertThat(written).hasSize(2);
    }

    @Test
    void aRefusedWriteWithholdsTheMessageAndEveryLaterOneWithoutWritingAgain() {
        var keeper = keeper(through -> {
            written.add(through);
            return false; // another node owns the chunk now
        });
        assertThatThrownBy(() -> keeper.beforeHandOver(TODO, 0)).isInstanceOf(SendWithheldException.class)
                .hasMessageContaining("another node owns the chunk");
        assertThatThrownBy(() -> keeper.beforeHandOver(TODO, 1)).isInstanceOf(SendWithheldException.class);
        assertThat(written).hasSize(1);
        assertThat(keeper.through()).isNull();
    }

    @Test
    void aStoreErrorWithholdsTheMessageAndIsKeptForTheDispatcher() {
        var keeper = keeper(through -> {
            throw new IllegalStateException("store unreachable");
        });
        assertThatThrownBy(() -> keeper.beforeHandOver(TODO, 0)).isInstanceOf(SendWithheldException.class);
        assertThat(keeper.failure()).hasMessage("store unreachable");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
