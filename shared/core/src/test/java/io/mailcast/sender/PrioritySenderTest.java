package io.mailcast.sender;

import io.mailcast.subscriber.SubscriberId;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PrioritySenderTest {

    private static final OutgoingMessage MESSAGE = new OutgoingMessage("c", SubscriberId.of(1), "shop@example.com", null,
            "ann@example.org", null, "s", "t", null, Map.of());

    @Test
    void campaignSendsWaitWhileAnUrgentSendIsUnderWayAndGoOnAfterIt() throws Exception {
        CountDownLatch urgentInside = new CountDownLatch(1);
        CountDownLatch releaseUrgent = new CountDownLatch(1);
        CountDownLatch campaignInside = new CountDownLatch(1);
        Sender shared = message -> {
            if (message.campaignId().equals("urgent")) {
                urgentInside.countDown();
                releaseUrgent.await();
            } else {
                campaignInside.countDown();
            }
            return SendResult.sent("relay");
        };
        var lanes = new PrioritySender(shared);
        Thread.ofVirtual().start(() -> send(lanes.urgentLane(), new OutgoingMessage("urgent", SubscriberId.of(1), "shop@example.com",
                null, "ann@example.org", null, "s", "t", null, Map.of())));
        assertThat(urgentInside.await(5, TimeUnit.SECONDS)).isTrue();

        Thread.ofVirtual().start(() -> send(lanes.campaignLane(), MESSAGE));

        assertThat(campaignInside.await(200, TimeUnit.MILLISECONDS)).as("held back by the urgent send").isFalse();
        releaseUrgent.countDown();
        assertThat(campaignInside.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void lanesReportTheSharedSendersRelays() {
        var figures = List.of(new RelayFigures("relay", false, 1, 2, 0, 0));
        Sender shared = new Sender() {
            @Override
            public SendResult send(OutgoingMessage message) {
                return SendResult.sent("relay");
            }

            @Override
            public List<RelayFigures> relayFigures() {
                return figures;
            }
        };
        var lanes = new PrioritySender(shared);
        assertThat(lanes.campaignLane().relayFigures()).isEqualTo(figures);
        assertThat(lanes.urgentLane().relayFigures()).isEqualTo(figures);
    }

    private static void send(Sender lane, OutgoingMessage message) {
        try {
            lane.send(message);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
