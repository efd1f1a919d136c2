package io.mailcast.schedule;

import io.mailcast.campaign.CampaignState;
import io.mailcast.chunk.LocalChunkBoard;
import io.mailcast.delivery.Delivery;
import io.mailcast.delivery.Outcome;
import io.mailcast.engine.CampaignSubmitter;
import io.mailcast.engine.DeliveryTuning;
import io.mailcast.engine.Engine;
import io.mailcast.engine.FailurePolicy;
import io.mailcast.reminder.DateKind;
import io.mailcast.reminder.RelativeWindow;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.sender.SendResult;
import io.mailcast.sender.Sender;
import io.mailcast.store.Collections;
import io.mailcast.store.MongoAddressClaims;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoDeliveryStore;
import io.mailcast.store.MongoFiringStore;
import io.mailcast.store.MongoReminderClaims;
import io.mailcast.store.MongoScheduleStore;
import io.mailcast.store.MongoSubscriberSource;
import io.mailcast.store.MongoSuppressionList;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.suppression.UnsubscribeLinks;
import io.mailcast.testing.MongoFixture;
import io.mailcast.testing.SettableClock;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Schedules fired by supervisors on MongoDB: two racing supervisors fire a slot once, and a reminder schedule whose
 * cron changes mid-way (so consecutive windows overlap) still sends each subscriber one reminder per date and offset.
 */
class ScheduledRemindersTest {

    @RegisterExtension
    static final MongoFixture mongo = new MongoFixture();

    private static final Instant CREATED = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant SLOT = Instant.parse("2026-03-01T08:00:00Z");

    /** Counts messages per subscriber and keeps them, as a relay would receive them. */
    private static final class CountingRelay implements Sender {
        final Map<SubscriberId, AtomicInteger> received = new ConcurrentHashMap<>();
        final List<OutgoingMessage> messages = new CopyOnWriteArrayList<>();

        @Override
        public SendResult send(OutgoingMessage message) {
            received.computeIfAbsent(message.subscriberId(), k -> new AtomicInteger()).incrementAndGet();
            messages.add(message);
            return SendResult.sent("relay-a");
        }
    }

    private final MongoCampaignStore campaigns = new MongoCampaignStore(mongo.connection());
    private final MongoChunkStore chunks = new MongoChunkStore(mongo.connection());
    private final MongoDeliveryStore deliveries = new MongoDeliveryStore(mongo.connection());
    private final MongoSubscriberSource subscribers = new MongoSubscriberSource(mongo.connection());
    private final MongoScheduleStore schedules = new MongoScheduleStore(mongo.connection());
    private final MongoFiringStore firings = new MongoFiringStore(mongo.connection());
    private final LocalChunkBoard board = new LocalChunkBoard();
    private final CountingRelay relay = new CountingRelay();
    private final SettableClock clock = new SettableClock(CREATED);

    @BeforeEach
    void fresh() {
        mongo.dropAll();
    }

    private Engine engine(String node) {
        return Engine.builder(node).board(board).stores(campaigns, chunks, deliveries).subscribers(subscribers)
                .suppressions(new MongoSuppressionList(mongo.connection()))
                .addressClaims(new MongoAddressClaims(mongo.connection()))
                .reminderClaims(new MongoReminderClaims(mongo.connection())).sender(relay)
                .unsubscribeLinks(UnsubscribeLinks.NONE)
                .tuning(new DeliveryTuning(50, Duration.ofSeconds(30), 32, 100, Duration.ofMillis(50), 2,
                        Duration.ofMillis(5)))
                .failurePolicy(new FailurePolicy(1.0, 1_000)).sweepInterval(Duration.ofMillis(100))
                .membership(() -> Set.of("node-a", "node-b"), () -> node.equals("node-a")).build();
    }

    /** A supervisor's firing, on the test's clock, submitting through the real submitter. */
    private ScheduleFirer firer() {
        var submitter = new CampaignSubmitter(campaigns, chunks, board, subscribers, Clock.systemUTC());
        return new ScheduleFirer(schedules, firings, submitter::submit, clock);
    }

    private static Schedule schedule(String cron, RelativeWindow window) {
        return new Schedule("expiry", new Trigger.Cron(cron, ZoneId.of("UTC")), CatchUp.ALL, false,
                "{{daysLeft}} days left", "shop@example.com", null, "{{name}}, yours ends on {{expiresOn}}.", null,
                "{\"attributes.confirmed\": true}", 40, window, CREATED);
    }

    private void insertSubscribers(int count, Instant firstExpiry, Duration step) {
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            docs.add(new Document("_id", (long) i).append("email", "u" + i + "@example.org").append("name", "U" + i)
                    .append("subscribed", true).append("attributes", new Document("confirmed", true)
                            .append("validts", firstExpiry.plus(step.multipliedBy(i)).getEpochSecond())));
        }
        mongo.connection().database().getCollection(Collections.SUBSCRIBERS).insertMany(docs);
    }

    private void awaitCompleted(String campaignId) {
        await().atMost(Duration.ofSeconds(60)).until(() -> campaigns.find(campaignId)
                .map(c -> c.state() == CampaignState.COMPLETED).orElse(false));
    }

    @Test
    void twoSupervisorsFiringADueSlotAtOnceSubmitOneCampaignAndMailEachSubscriberOnce() throws Exception {
        insertSubscribers(300, SLOT, Duration.ofMinutes(1));
        schedules.insert(schedule("0 8 * * *", null));
        clock.set(SLOT.plusSeconds(3));
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> supervisors = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ScheduleFirer firer = firer();
            supervisors.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    firer.fireDue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        try (Engine a = engine("node-a"); Engine b = engine("node-b")) {
            a.start();
            b.start();
            start.countDown();
            for (Thread t : supervisors) {
                t.join();
            }
            firer().fireDue();
            awaitCompleted("s-expiry-202603010800");
        }

        assertThat(campaigns.all()).singleElement().satisfies(c -> assertThat(c.id()).isEqualTo("s-expiry-202603010800"));
        assertThat(firings.latest("expiry", 10)).singleElement().satisfies(f -> {
            assertThat(f.campaignId()).isEqualTo("s-expiry-202603010800");
            assertThat(f.lateBy()).isEqualTo(Duration.ofSeconds(3));
        });
        assertThat(relay.received).hasSize(300);
        assertThat(relay.received.values()).extracting(AtomicInteger::get).containsOnly(1);
    }

    @Test
    void aSupervisorThatDiesBetweenSubmittingASlotAndRecordingItLeavesTheSlotToTheNextWhichSendsItOnce() {
        insertSubscribers(200, SLOT, Duration.ofMinutes(1));
        schedules.insert(schedule("0 8 * * *", null));
        clock.set(SLOT.plusSeconds(2));
        var submitter = new CampaignSubmitter(campaigns, chunks, board, subscribers, Clock.systemUTC());
        // The first supervisor submits the slot's campaign, then dies before its firing record is written.
        var dying = new ScheduleFirer(schedules, firings, draft -> {
            submitter.submit(draft);
            throw new IllegalStateException("killed after submitting, before recording the firing");
        }, clock);

        try (Engine a = engine("node-a"); Engine b = engine("node-b")) {
            a.start();
            b.start();
            dying.fireDue();
            assertThat(firings.latest("expiry", 10)).as("no record: the slot is still due").isEmpty();
            clock.set(SLOT.plusSeconds(40));
            firer().fireDue(); // the next supervisor, a pass later
            awaitCompleted("s-expiry-202603010800");
            firer().fireDue(); // and the one after that finds the slot recorded
        }

        assertThat(campaigns.all()).singleElement().satisfies(c -> assertThat(c.id()).isEqualTo("s-expiry-202603010800"));
        assertThat(firings.latest("expiry", 10)).singleElement().satisfies(f ->
                assertThat(f.campaignId()).isEqualTo("s-expiry-202603010800"));
        assertThat(relay.received).hasSize(200);
        assertThat(relay.received.values()).extracting(AtomicInteger::get).containsOnly(1);
    }

    @Test
    void aChangedCronWithOverlappingWindowsSendsEachReminderOnceAndRecordsTheOverlapSkipped() {
        // Expiries every 10 minutes from 3 days after the first slot, for two days.
        int people = 288;
        Instant firstExpiry = SLOT.plus(Duration.ofDays(3));
        insertSubscribers(people, firstExpiry, Duration.ofMinutes(10));
        var window = new RelativeWindow("attributes.validts", DateKind.EPOCH_SECONDS, List.of(3), Locale.UK, ZoneId.of("UTC"));
        schedules.insert(schedule("0 8 * * *", window));
        List<String> fired = new ArrayList<>();
        try (Engine a = engine("node-a"); Engine b = engine("node-b")) {
            a.start();
            b.start();
            clock.set(SLOT.plusSeconds(1));
            firer().fireDue();
            fired.add("s-expiry-202603010800");
            awaitCompleted(fired.getLast());

            // The operator moves the schedule to 12:00: the next slot's window starts 4 hours into the last one's.
            schedules.remove("expiry");
            schedules.insert(schedule("0 12 * * *", window));
            clock.set(SLOT.plus(Duration.ofHours(4)).plusSeconds(1));
            firer().fireDue();
            fired.add("s-expiry-202603011200");
            awaitCompleted(fired.getLast());
        }

        // The first window holds the first day of expiries (144), the second runs from +4 h to a day later.
        assertThat(relay.received.values()).extracting(AtomicInteger::get).containsOnly(1);
        int inSecondWindow = (int) Duration.ofDays(1).toMinutes() / 10;
        int overlap = (int) Duration.ofHours(20).toMinutes() / 10;
        assertThat(relay.received).hasSize(144 + inSecondWindow - overlap);
        List<Delivery> skipped = deliveries.recorded(fired.getLast(),
                LongStream.range(0, people).mapToObj(SubscriberId::of).toList()).values().stream()
                .filter(d -> d.outcome() == Outcome.SKIPPED).toList();
        assertThat(skipped).hasSize(overlap).allSatisfy(d -> assertThat(d.reason())
                .contains("already reminded about this date by campaign s-expiry-202603010800"));
        assertThat(relay.messages).filteredOn(m -> m.subscriberId().equals(SubscriberId.of(0))).singleElement()
                .satisfies(m -> {
                    assertThat(m.subject()).isEqualTo("3 days left");
                    assertThat(m.text()).isEqualTo("U0, yours ends on 4 March 2026.");
                });
    }
}
