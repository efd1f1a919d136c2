package io.mailcast.lab;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.mongodb.MongoException;
import io.mailcast.cluster.ClusterConfig;
import io.mailcast.cluster.HazelcastChunkBoard;
import io.mailcast.engine.CampaignSubmitter;
import io.mailcast.engine.DeliveryTuning;
import io.mailcast.engine.Engine;
import io.mailcast.lab.fixtures.Karma8Generator;
import io.mailcast.node.MailcastNode;
import io.mailcast.reminder.DateKind;
import io.mailcast.reminder.RelativeWindow;
import io.mailcast.schedule.CatchUp;
import io.mailcast.schedule.Firing;
import io.mailcast.schedule.Schedule;
import io.mailcast.schedule.ScheduleFirer;
import io.mailcast.schedule.Trigger;
import io.mailcast.store.MongoAddressClaims;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoDeliveryStore;
import io.mailcast.store.MongoFiringStore;
import io.mailcast.store.MongoReminderClaims;
import io.mailcast.store.MongoScheduleStore;
import io.mailcast.store.MongoSuppressionList;
import io.mailcast.subscriber.SubscriberMapping;
import io.mailcast.subscriber.SubscriberSource;
import io.mailcast.suppression.UnsubscribeLinks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Seed 004's reminders over simulated days: karma8 users in MongoDB, a daily reminder schedule (3 and 1 days before
 * {@code validts}) and two engines on a two-member Hazelcast cluster over loopback TCP. Each simulated day the
 * supervisor's {@link ScheduleFirer}, on a clock set to the day's slot, fires it; the day ends when the slot's campaign
 * completes. Time between days is compressed: the next slot is fired as soon as the previous campaign is done.
 */
final class Karma8Days {

    static final String SCHEDULE = "karma8-expiry";
    /** The audience the seed mails: a confirmed address, or one its paid check found valid. */
    static final String AUDIENCE = "{\"$or\": [{\"attributes.confirmed\": true}, {\"attributes.valid\": true}]}";

    /** One simulated day: reminders due (worked out from the users alone), sent, and slot to last reminder. */
    record Day(int day, Instant slot, String campaignId, long due, long sent, double seconds) {

        /** How many times this day's load one slot could carry: the rate reached, over the day until the next slot. */
        double headroom() {
            return sent == 0 || seconds <= 0 ? Double.NaN : sent / seconds * Duration.ofDays(1).toSeconds() / due;
        }
    }

    record Settings(long users, int days, int chunkSize, int concurrency, Duration latency, int basePort) {
    }

    private final MongoConnection mongo;
    private final SubscriberSource subscribers;
    private final Settings settings;
    private final ReminderInbox inbox;
    /** Midnight UTC of the day after today: the first slot; subscriptions end over the 30 days from it. */
    private final Instant firstSlot;

    Karma8Days(MongoConnection mongo, SubscriberSource subscribers, Settings settings) {
        this.mongo = mongo;
        this.subscribers = subscribers;
        this.settings = settings;
        this.inbox = new ReminderInbox(settings.latency());
        this.firstSlot = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
    }

    Karma8Generator users() {
        return new Karma8Generator(firstSlot);
    }

    Instant firstSlot() {
        return firstSlot;
    }

    ReminderInbox inbox() {
        return inbox;
    }

    long populate(Consumer<Long> progress) throws InterruptedException {
        return Population.populate(mongo, settings.users(), users()::subscriber, progress::accept);
    }

    /** Runs every day; {@code onDay} sees each as it ends. */
    List<Day> run(Consumer<Day> onDay) throws InterruptedException {
        long[] due = new long[settings.days()];
        DueReminders.forEach(users(), settings.users(), firstSlot, settings.days(), (id, day, k) -> due[day]++);
        var schedules = new MongoScheduleStore(mongo);
        schedules.remove(SCHEDULE);
        schedules.insert(schedule());
        String cluster = "karma8-days-" + Long.toHexString(System.nanoTime());
        List<String> members = List.of("127.0.0.1:" + settings.basePort(), "127.0.0.1:" + (settings.basePort() + 1));
        List<HazelcastInstance> hazelcasts = new ArrayList<>();
        List<Engine> engines = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                var config = new ClusterConfig(cluster, members, settings.basePort() + i, null, null, null, 1);
                HazelcastInstance hz = Hazelcast.newHazelcastInstance(MailcastNode.memberConfig(config));
                hazelcasts.add(hz);
                Engine engine = engine(hz);
                engines.add(engine);
                engine.start();
            }
            var board = new HazelcastChunkBoard(hazelcasts.getFirst());
            List<Day> result = new ArrayList<>();
            for (int d = 0; d < settings.days(); d++) {
                Instant slot = firstSlot.plus(Duration.ofDays(d));
                // The supervisor's firer and submit, as on a node, on the simulated day's clock.
                Clock simulated = Clock.fixed(slot.plusSeconds(1), ZoneOffset.UTC);
                var submitter = new CampaignSubmitter(new MongoCampaignStore(mongo), new MongoChunkStore(mongo), board,
                        subscribers, simulated);
                var firer = new ScheduleFirer(schedules, new MongoFiringStore(mongo), draft -> submitter.submit(draft),
                        simulated);
                long start = System.nanoTime();
                firer.fireDue();
                String id = Firing.campaignId(SCHEDULE, slot);
                awaitEnd(id);
                Day day = new Day(d, slot, id, due[d], inbox.sent(id), (inbox.lastNanos(id, start) - start) / 1e9);
                result.add(day);
                onDay.accept(day);
            }
            return result;
        } finally {
            engines.forEach(Engine::close);
            hazelcasts.forEach(HazelcastInstance::shutdown);
        }
    }

    /** Waits for the campaign; the embedded MongoDB under a 5M-user load times reads out now and then, as nodes ride out. */
    private void awaitEnd(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofHours(1).toNanos();
        while (true) {
            try {
                LocalRun.awaitEnd(mongo, id, Duration.ofMillis(100), Duration.ofNanos(deadline - System.nanoTime()), p -> { });
                return;
            } catch (MongoException e) {
                System.err.println("campaign " + id + ": reading its state failed (" + e.getClass().getSimpleName()
                        + "); retrying");
                Thread.sleep(1_000);
            }
        }
    }

    private Engine engine(HazelcastInstance hz) {
        String nodeId = hz.getCluster().getLocalMember().getUuid().toString();
        return Engine.builder(nodeId)
                .board(new HazelcastChunkBoard(hz))
                .stores(new MongoCampaignStore(mongo), new MongoChunkStore(mongo), new MongoDeliveryStore(mongo))
                .subscribers(subscribers)
                .suppressions(new MongoSuppressionList(mongo))
                .addressClaims(new MongoAddressClaims(mongo))
                .reminderClaims(new MongoReminderClaims(mongo))
                .sender(inbox)
                .unsubscribeLinks(UnsubscribeLinks.NONE)
                .tuning(DeliveryTuning.defaults(settings.concurrency(), Duration.ofSeconds(30)))
                .sweepInterval(Duration.ofMillis(200))
                .clock(Clock.systemUTC())
                .membership(() -> hz.getCluster().getMembers().stream().map(m -> m.getUuid().toString())
                                .collect(Collectors.toSet()),
                        () -> isOldest(hz))
                .build();
    }

    private static boolean isOldest(HazelcastInstance hz) {
        Set<Member> members = hz.getCluster().getMembers();
        return !members.isEmpty() && members.iterator().next().localMember();
    }

    private Schedule schedule() {
        var window = new RelativeWindow("attributes.validts", DateKind.EPOCH_SECONDS, DueReminders.OFFSETS, Locale.UK,
                ZoneOffset.UTC);
        return new Schedule(SCHEDULE, new Trigger.Cron("0 0 * * *", ZoneOffset.UTC), CatchUp.ALL, false,
                DueReminders.SUBJECT_TEMPLATE, "Shop <shop@example.com>", null,
                "Hello {{name}}, your subscription ends on {{expiresOn}}: {{daysLeft}} days left.", null, AUDIENCE,
                SubscriberMapping.DEFAULT, settings.chunkSize(), window, firstSlot.minus(Duration.ofHours(1)));
    }
}
