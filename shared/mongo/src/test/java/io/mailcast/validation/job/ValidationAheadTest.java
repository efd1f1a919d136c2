package io.mailcast.validation.job;

import io.mailcast.chunk.ChunkRecord;
import io.mailcast.reminder.DateKind;
import io.mailcast.reminder.RelativeWindow;
import io.mailcast.schedule.CatchUp;
import io.mailcast.schedule.Schedule;
import io.mailcast.schedule.ScheduleValidation;
import io.mailcast.schedule.SlotCampaign;
import io.mailcast.schedule.Trigger;
import io.mailcast.store.Collections;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoScheduleStore;
import io.mailcast.store.MongoSubscriberSource;
import io.mailcast.store.MongoValidationJobStore;
import io.mailcast.testing.MongoFixture;
import io.mailcast.testing.SettableClock;
import io.mailcast.validation.ValidationRequirement;
import io.mailcast.subscriber.SubscriberMapping;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reminder schedule validated 2 days ahead, with a settable clock: each slot gets one validation job, ordered once
 * the slot is 2 days away, for exactly the audience that slot will mail (its window computed for that slot), with the
 * slot as deadline; ordering again, or from a second supervisor, changes nothing.
 */
class ValidationAheadTest {

    @RegisterExtension
    static final MongoFixture mongo = new MongoFixture();

    private static final Instant CREATED = Instant.parse("2026-12-01T00:00:00Z");
    private static final RelativeWindow THREE_DAYS_BEFORE = new RelativeWindow("attributes.validts",
            DateKind.EPOCH_SECONDS, List.of(3), Locale.ENGLISH, ZoneId.of("UTC"));

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-03T08:00:00Z"));
    private final MongoScheduleStore schedules = new MongoScheduleStore(mongo.connection());
    private final MongoValidationJobStore jobs = new MongoValidationJobStore(mongo.connection());
    private final MongoChunkStore chunks = MongoChunkStore.forValidation(mongo.connection());

    @BeforeEach
    void subscribers() {
        mongo.dropAll();
        // One subscriber expiring every 6 hours from Dec 5 to Dec 12: four per daily window.
        List<Document> docs = new ArrayList<>();
        Instant expiry = Instant.parse("2026-12-05T00:00:00Z");
        for (int id = 1; expiry.isBefore(Instant.parse("2026-12-12T00:00:00Z")); id++, expiry = expiry.plusSeconds(6 * 3600)) {
            docs.add(new Document("_id", id).append("email", "user" + id + "@example.com").append("subscribed", true)
                    .append("attributes", new Document("validts", expiry.getEpochSecond()).append("confirmed", id % 4 == 0)));
        }
        mongo.connection().database().getCollection(Collections.SUBSCRIBERS).insertMany(docs);
    }

    private ValidationAhead ahead() {
        return new ValidationAhead(schedules, new ValidationJobPlanner(jobs, chunks,
                new MongoSubscriberSource(mongo.connection()), clock), clock);
    }

    private static Schedule expiry(int daysAhead, boolean paused) {
        return new Schedule("expiry", new Trigger.Cron("0 9 * * *", ZoneId.of("UTC")), CatchUp.ALL, paused,
                "{{daysLeft}} days left", "shop@example.com", null, "Yours ends on {{expiresOn}}.", null,
                "{\"subscribed\": true}", SubscriberMapping.DEFAULT, 2, THREE_DAYS_BEFORE, CREATED,
                new ScheduleValidation(List.of("confirmed"), ValidationRequirement.Unverified.SKIP, null, daysAhead));
    }

    @Test
    void eachSlotGetsOneJobForItsOwnAudienceDaysAhead() {
        Schedule schedule = expiry(2, false);
        schedules.insert(schedule);

        ahead().orderDue();

        Instant dec3 = Instant.parse("2026-12-03T09:00:00Z");
        Instant dec4 = Instant.parse("2026-12-04T09:00:00Z");
        assertThat(jobs.open()).extracting(ValidationJob::id).containsExactlyInAnyOrder(
                ValidationAhead.jobId("expiry", dec3), ValidationAhead.jobId("expiry", dec4));
        assertThat(ValidationAhead.jobId("expiry", dec4)).isEqualTo("v-expiry-202612040900");
        ValidationJob dec4Job = jobs.find(ValidationAhead.jobId("expiry", dec4)).orElseThrow();
        assertThat(dec4Job.deadline()).as("the send date").isEqualTo(dec4);
        assertThat(dec4Job.audience().filterJson()).as("the window of that slot, not of today")
                .isEqualTo(SlotCampaign.draft(schedule, dec4, dec4.plus(Duration.ofDays(1)), clock.instant())
                        .audience().filterJson());
        assertThat(SlotCampaign.draft(schedule, dec4, dec4.plus(Duration.ofDays(1)), clock.instant()).validation())
                .as("the slot's campaign requires what was checked").isEqualTo(ValidationRequirement.CONFIRMED_OR_VALID);
        // Expiring in [Dec 7 09:00, Dec 8 09:00): Dec 7 12:00, 18:00, Dec 8 00:00, 06:00.
        assertThat(planned(dec4Job)).isEqualTo(4);

        ahead().orderDue();
        ahead().orderDue();
        assertThat(jobs.open()).as("idempotent, also from a second supervisor").hasSize(2);
        assertThat(chunks.load(dec4Job.id())).hasSize(dec4Job.chunks());

        clock.advance(Duration.ofDays(1));
        ahead().orderDue();
        assertThat(jobs.open()).extracting(ValidationJob::id)
                .contains(ValidationAhead.jobId("expiry", Instant.parse("2026-12-05T09:00:00Z"))).hasSize(3);
    }

    @Test
    void schedulesNotValidatedAheadOrPausedOrderNothing() {
        schedules.insert(expiry(0, false));
        ahead().orderDue();
        assertThat(jobs.open()).isEmpty();

        schedules.remove("expiry");
        schedules.insert(expiry(2, true));
        ahead().orderDue();
        assertThat(jobs.open()).isEmpty();
    }

    private long planned(ValidationJob job) {
        return chunks.load(job.id()).stream().mapToLong(ChunkRecord::planned).sum();
    }
}
