package io.mailcast.validation.job;

import io.mailcast.chunk.ChunkRange;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.subscriber.Audience;
import io.mailcast.subscriber.IdRange;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.validation.DailyBudget;
import io.mailcast.validation.ValidationRequirement;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The backlog, rate and ETA of a validation job against its deadline, and the budget wait, from its chunks. */
class ValidationProgressTest {

    private static final Instant ORDERED = Instant.parse("2026-12-03T10:00:00Z");

    private static ValidationJob job(Instant deadline) {
        return new ValidationJob("v-1", Audience.SUBSCRIBED, ValidationRequirement.CONFIRMED_OR_VALID, deadline, 10, ORDERED);
    }

    /** Ten chunks of 100 subscribers; the first {@code done} DONE (60 verified, 5 invalid, 35 confirmed each). */
    private static List<ChunkRecord> chunks(int done, int owned) {
        List<ChunkRecord> chunks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            var range = new ChunkRange("v-1", i, IdRange.closed(SubscriberId.of(i * 100L + 1), SubscriberId.of(i * 100L + 100)), 100);
            ChunkRecord c = ChunkRecord.queued(range, 0);
            if (i < done) {
                c = c.claimedBy("n", 0, 1000).done(new ValidationTally(60, 5, 35, 0).toCounts());
            } else if (i < done + owned) {
                c = c.claimedBy("n", 0, 1000);
            }
            chunks.add(c);
        }
        return chunks;
    }

    @Test
    void theEtaComesFromTheRateSoFarAndIsComparedWithTheDeadline() {
        Instant now = ORDERED.plusSeconds(100);
        var p = ValidationProgress.of(job(ORDERED.plus(Duration.ofHours(1))), chunks(4, 2), null,
                new DailyBudget.Spent(260, 1_040_000), now);

        assertThat(p.subscribers()).isEqualTo(1000);
        assertThat(p.backlog()).isEqualTo(600);
        assertThat(p.chunksDone()).isEqualTo(4);
        assertThat(p.chunksOwned()).isEqualTo(2);
        assertThat(p.tally()).isEqualTo(new ValidationTally(240, 20, 140, 0));
        assertThat(p.perSecond()).isEqualTo(4.0);
        assertThat(p.eta()).isEqualTo(now.plusSeconds(150));
        assertThat(p.marginToDeadline()).isEqualTo(Duration.ofSeconds(3600 - 250));
        assertThat(p.waitingForBudget()).isFalse();

        var late = ValidationProgress.of(job(ORDERED.plusSeconds(200)), chunks(4, 0), null, new DailyBudget.Spent(0, 0), now);
        assertThat(late.marginToDeadline()).as("after the deadline").isEqualTo(Duration.ofSeconds(-50));
    }

    @Test
    void aSpentBudgetSaysUntilWhenItWaitsAndNothingDoneMeansNoEtaYet() {
        Instant now = Instant.parse("2026-12-03T22:15:00Z");
        var p = ValidationProgress.of(job(null), chunks(0, 3), null, new DailyBudget.Spent(5000, 20_000_000, true), now);

        assertThat(p.waitingForBudget()).isTrue();
        assertThat(p.budgetResumesAt()).isEqualTo(Instant.parse("2026-12-04T00:00:00Z"));
        assertThat(p.eta()).isNull();
        assertThat(p.marginToDeadline()).isNull();
        assertThat(ValidationProgress.of(job(null), chunks(10, 0), now, new DailyBudget.Spent(0, 0, true), now)
                .waitingForBudget()).as("a finished job waits for nothing").isFalse();
    }
}
