package io.mailcast.node.metrics;

import io.mailcast.engine.ChunkObserver;
import io.mailcast.engine.NodeStats;
import io.mailcast.message.MessageStats;
import io.mailcast.schedule.Firing;
import io.mailcast.schedule.FiringStore;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.sender.RelayFigures;
import io.mailcast.sender.SendResult;
import io.mailcast.sender.Sender;
import io.mailcast.subscriber.SubscriberId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The series a node registers, read back from the Prometheus text its registry renders. */
class NodeMetersTest {

    private final NodeMeters meters = new NodeMeters();

    @AfterEach
    void close() {
        meters.close();
    }

    @Test
    void engineFiguresKeepTheirPrometheusNames() {
        NodeStats stats = new NodeStats();
        stats.sent.add(1200);
        stats.uncertain.add(2);
        stats.skipped.add(1);
        stats.unverified.add(4);
        ChunkObserver chunks = EngineMeters.register(meters.registry(), stats, () -> 3, () -> 1, () -> 2);
        chunks.finished("completed", Duration.ofMillis(700));
        chunks.finished("lost", Duration.ofSeconds(40));

        String text = meters.scrape();
        assertThat(text).contains("# TYPE mailcast_messages_sent_total counter", "mailcast_messages_sent_total 1200.0",
                "mailcast_messages_uncertain_total 2.0", "mailcast_messages_skipped_total 1.0",
                "mailcast_messages_unverified_total 4.0", "mailcast_sends_in_flight 3.0", "mailcast_cluster_members 2.0",
                "mailcast_chunk_duration_seconds_bucket{result=\"completed\",le=\"0.5\"} 0",
                "mailcast_chunk_duration_seconds_bucket{result=\"completed\",le=\"1.0\"} 1",
                "mailcast_chunk_duration_seconds_bucket{result=\"lost\",le=\"30.0\"} 0",
                "mailcast_chunk_duration_seconds_count{result=\"lost\"} 1");
    }

    @Test
    void remindersAndSlotFiringsAreCountedPerSchedule() {
        NodeStats stats = new NodeStats();
        EngineMeters.register(meters.registry(), stats, () -> 0, () -> 0, () -> 1);
        stats.remindersSent.get("expiry").add(5);
        var firings = new java.util.ArrayList<Firing>();
        FiringStore store = new FiringStore() {
            @Override
            public boolean record(Firing firing) {
                boolean fresh = firings.stream().noneMatch(f -> f.slot().equals(firing.slot()));
                firings.add(firing);
                return fresh;
            }

            @Override
            public java.util.Optional<Instant> lastSlot(String scheduleId) {
                return java.util.Optional.empty();
            }

            @Override
            public java.util.List<Firing> latest(String scheduleId, int limit) {
                return firings;
            }

            @Override
            public java.util.List<Firing> lateOrSkipped(String scheduleId, Duration lateOver, int limit) {
                return firings;
            }
        };
        var observed = new ObservedFiringStore(store, meters.registry());
        Instant slot = Instant.parse("2026-12-02T12:00:00Z");
        observed.record(new Firing("expiry", slot, "s-expiry-202612021200", slot.plusSeconds(3), Duration.ofSeconds(3), null));
        observed.record(new Firing("expiry", slot, "s-expiry-202612021200", slot.plusSeconds(4), Duration.ofSeconds(4), null));
        observed.record(new Firing("expiry", slot.plusSeconds(60), null, slot.plusSeconds(99), Duration.ofSeconds(39), "skipped"));

        assertThat(meters.scrape()).contains(
                "mailcast_reminders_sent_total{schedule=\"expiry\"} 5.0",
                "mailcast_schedule_slots_total{result=\"fired\",schedule=\"expiry\"} 1.0",
                "mailcast_schedule_slots_total{result=\"skipped\",schedule=\"expiry\"} 1.0",
                "mailcast_schedule_firing_lag_seconds_bucket{schedule=\"expiry\",le=\"2.5\"} 0",
                "mailcast_schedule_firing_lag_seconds_bucket{schedule=\"expiry\",le=\"5.0\"} 1",
                "mailcast_schedule_firing_lag_seconds_count{schedule=\"expiry\"} 1");
    }

    @Test
    void relaySeriesFollowTheSenderFigures() {
        var relays = new AtomicLong();
        Sender sender = new Sender() {
            @Override
            public SendResult send(OutgoingMessage message) {
                return SendResult.sent("a");
            }

            @Override
            public List<RelayFigures> relayFigures() {
                return List.of(new RelayFigures("a", false, 1.0, relays.get(), 0, 0),
                        new RelayFigures("b \"quoted\"", true, 0.5, 0, 7, 1));
            }
        };
        RelayMeters.register(meters.registry(), sender);
        relays.set(42);

        assertThat(meters.scrape()).contains("mailcast_relay_up{relay=\"a\"} 1.0",
                "mailcast_relay_messages_sent_total{relay=\"a\"} 42.0",
                "mailcast_relay_up{relay=\"b \\\"quoted\\\"\"} 0.0",
                "mailcast_relay_rate_factor{relay=\"b \\\"quoted\\\"\"} 0.5",
                "mailcast_relay_failures_total{relay=\"b \\\"quoted\\\"\"} 7.0",
                "mailcast_relay_marked_down_total{relay=\"b \\\"quoted\\\"\"} 1.0");
    }

    @Test
    void queueDepthSurvivesGarbageCollectionAndIsNaNWhileTheStoreIsDown() {
        var depth = new AtomicLong(17);
        var storeUp = new java.util.concurrent.atomic.AtomicBoolean(true);
        // A lambda nothing else holds: Micrometer keeps gauge state weakly unless told otherwise.
        MessageMeters.register(meters.registry(), new MessageStats(), () -> {
            if (!storeUp.get()) {
                throw new IllegalStateException("store down");
            }
            return depth.get();
        }, () -> 42, () -> 0);
        System.gc();
        assertThat(meters.scrape()).contains("mailcast_api_queue_depth 17.0", "mailcast_api_queue_oldest_seconds 42.0");
        storeUp.set(false);
        assertThat(meters.scrape()).contains("mailcast_api_queue_depth NaN");
    }

    @Test
    void eachApiKeyGetsItsOwnSeriesOnItsFirstMessage() {
        MessageStats stats = new MessageStats();
        MessageMeters.register(meters.registry(), stats, () -> 0, () -> 0, () -> 0);
        assertThat(meters.scrape()).doesNotContain("mailcast_api_key_messages_total");

        stats.byKey.get("key_a").accepted.add(3);
        stats.byKey.get("key_a").sent.add(2);
        stats.byKey.get("key_b").failed.increment();

        assertThat(meters.scrape()).contains(
                "mailcast_api_key_messages_total{event=\"accepted\",key=\"key_a\"} 3.0",
                "mailcast_api_key_messages_total{event=\"sent\",key=\"key_a\"} 2.0",
                "mailcast_api_key_messages_total{event=\"failed\",key=\"key_b\"} 1.0",
                "mailcast_api_key_messages_total{event=\"accepted\",key=\"key_b\"} 0.0");
    }

    @Test
    void sendsAreTimedPerRelayAndOutcome() throws Exception {
        Sender relay = new Sender() {
            @Override
            public SendResult send(OutgoingMessage message) {
                return message.to().contains("bad") ? SendResult.failed("550 no", false, "r1") : SendResult.sent("r1");
            }
        };
        var timed = new TimedSender(relay, meters.registry());
        timed.send(message("a@example.com"));
        timed.send(message("b@example.com"));
        timed.send(message("bad@example.com"));

        assertThat(meters.scrape()).contains(
                "mailcast_send_duration_seconds_count{outcome=\"sent\",relay=\"r1\"} 2",
                "mailcast_send_duration_seconds_count{outcome=\"failed\",relay=\"r1\"} 1",
                "mailcast_send_duration_seconds_bucket{outcome=\"sent\",relay=\"r1\",le=\"+Inf\"} 2");
    }

    private static OutgoingMessage message(String to) {
        return new OutgoingMessage("c", SubscriberId.of(1), "news@example.com", null, to, null, "Hello", "text", null, null);
    }
}
