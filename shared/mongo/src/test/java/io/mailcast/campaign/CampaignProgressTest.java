package io.mailcast.campaign;

import io.mailcast.chunk.ChunkCounts;
import io.mailcast.chunk.ChunkRange;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.ChunkState;
import io.mailcast.delivery.UncertainCause;
import io.mailcast.subscriber.Ids;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.mailcast.testing.Campaigns.aCampaign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CampaignProgressTest {

    private static final Instant START = Instant.parse("2025-03-01T10:00:00Z");
    private static final Instant NOW = START.plusSeconds(10);

    private static ChunkRecord chunk(int index, ChunkState state, ChunkCounts counts) {
        ChunkRecord queued = ChunkRecord.queued(new ChunkRange("c-test", index, Ids.closed(index * 100L + 1, index * 100L + 100), 100), 0);
        return new ChunkRecord(queued.campaignId(), index, queued.ids(), queued.planned(), state,
                state == ChunkState.OWNED ? "node-1" : null, 1, 0, 0, ChunkRecord.NOTHING_RESERVED, counts);
    }

    /** 1000 eligible in 10 chunks; 100 finished (80 sent, 15 failed, 5 invalid; 3 uncertain) after 10 s. */
    private static List<ChunkRecord> someProgress() {
        return List.of(
                chunk(0, ChunkState.DONE, new ChunkCounts(60, 10, 5, 0, 0, 3)),
                chunk(1, ChunkState.OWNED, new ChunkCounts(20, 5, 0, 0, 0, 0)),
                chunk(2, ChunkState.QUEUED, ChunkCounts.ZERO));
    }

    @Test
    void countsRemainingPercentRateAndEtaOfARunningCampaign() {
        Campaign campaign = aCampaign().state(CampaignState.RUNNING).eligible(1000).chunks(10).startedAt(START).build();

        CampaignProgress p = CampaignProgress.of(campaign, someProgress(), NOW);

        assertThat(p.counts()).isEqualTo(new ChunkCounts(80, 15, 5, 0, 0, 3));
        assertThat(p.chunksDone()).isEqualTo(1);
        assertThat(p.chunksOwned()).isEqualTo(1);
        assertThat(p.remaining()).isEqualTo(900);
        assertThat(p.percent()).isCloseTo(10.0, within(1e-9));
        assertThat(p.perSecond()).isCloseTo(10.0, within(1e-9));
        assertThat(p.eta()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void theEtaIsWithheldWhileTheCampaignHasRunForLessThanTheRateWindow() {
        Campaign campaign = aCampaign().state(CampaignState.RUNNING).eligible(1000).chunks(10).startedAt(START).build();

        CampaignProgress early = CampaignProgress.of(campaign, someProgress(), START.plusSeconds(3));
        CampaignProgress later = CampaignProgress.of(campaign, someProgress(), START.plus(CampaignProgress.RATE_WINDOW));

        assertThat(early.eta()).isNull();
        assertThat(early.estimating()).isTrue();
        assertThat(Document.parse(early.toJson()).containsKey("etaSeconds")).isTrue();
        assertThat(Document.parse(early.toJson()).get("etaSeconds")).isNull();
        assertThat(later.estimating()).isFalse();
        assertThat(later.eta()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void etaIsUnknownWhilePaused() {
        Campaign campaign = aCampaign().state(CampaignState.PAUSED).stateReason("paused by ops")
                .eligible(1000).chunks(10).startedAt(START).build();

        CampaignProgress p = CampaignProgress.of(campaign, someProgress(), NOW);

        assertThat(p.remaining()).isEqualTo(900);
        assertThat(p.eta()).isNull();
        assertThat(Document.parse(p.toJson()).get("etaSeconds")).isNull();
        assertThat(Document.parse(p.toJson()).containsKey("etaSeconds")).isTrue();
    }

    @Test
    void etaIsUnknownBeforeAnythingWasSent() {
        Campaign campaign = aCampaign().state(CampaignState.RUNNING).eligible(1000).chunks(10).startedAt(START).build();

        CampaignProgress p = CampaignProgress.of(campaign, List.of(chunk(0, ChunkState.OWNED, ChunkCounts.ZERO)), NOW);

        assertThat(p.perSecond()).isZero();
        assertThat(p.eta()).isNull();
    }

    @Test
    void notStartedCampaignHasNoRate() {
        Campaign campaign = aCampaign().eligible(1000).build();

        CampaignProgress p = CampaignProgress.of(campaign, someProgress(), NOW);

        assertThat(p.perSecond()).isZero();
        assertThat(p.eta()).isNull();
    }

    @Test
    void completedCampaignHasNothingRemainingAndZeroEta() {
        Instant finished = START.plusSeconds(50);
        Campaign campaign = aCampaign().state(CampaignState.COMPLETED).eligible(1000).chunks(1)
                .startedAt(START).finishedAt(finished).build();
        // Fewer outcomes than planned (subscribers unsubscribed meanwhile): still nothing remains.
        List<ChunkRecord> chunks = List.of(chunk(0, ChunkState.DONE, new ChunkCounts(900, 50, 30, 0, 0, 0)));

        CampaignProgress p = CampaignProgress.of(campaign, chunks, finished.plusSeconds(3600));

        assertThat(p.remaining()).isZero();
        assertThat(p.eta()).isEqualTo(Duration.ZERO);
        assertThat(p.perSecond()).as("rate measured up to finishedAt, not now").isCloseTo(19.6, within(1e-9));
        assertThat(((Number) Document.parse(p.toJson()).get("etaSeconds")).longValue()).isZero();
    }

    @Test
    void allFinishedGivesZeroEtaEvenBeforeTheStateCatchesUp() {
        Campaign campaign = aCampaign().state(CampaignState.RUNNING).eligible(100).chunks(1).startedAt(START).build();

        CampaignProgress p = CampaignProgress.of(campaign, List.of(chunk(0, ChunkState.DONE, new ChunkCounts(100, 0, 0, 0, 0, 0))), NOW);

        assertThat(p.remaining()).isZero();
        assertThat(p.percent()).isEqualTo(100.0);
        assertThat(p.eta()).isEqualTo(Duration.ZERO);
    }

    @Test
    void emptyAudienceIsHundredPercent() {
        Campaign campaign = aCampaign().state(CampaignState.COMPLETED).eligible(0).build();

        CampaignProgress p = CampaignProgress.of(campaign, List.of(), NOW);

        assertThat(p.percent()).isEqualTo(100.0);
        assertThat(p.remaining()).isZero();
    }

    /** Nothing counted yet is not "all done": a campaign still planning, or one that never got planned, is at 0 %. */
    @Test
    void aCampaignWithoutAPlanIsNotDone() {
        for (CampaignState state : new CampaignState[] {CampaignState.PLANNING, CampaignState.FAILED, CampaignState.CANCELLED}) {
            CampaignProgress p = CampaignProgress.of(aCampaign().state(state).eligible(0).chunks(0).build(), List.of(), NOW);

            assertThat(p.percent()).as(state.name()).isZero();
        }
        CampaignProgress planning = CampaignProgress.of(aCampaign().state(CampaignState.PLANNING).build(), List.of(), NOW);
        assertThat(planning.eta()).isNull();
        assertThat(Document.parse(planning.toJson()).get("etaSeconds")).isNull();
    }

    @Test
    void withRateRecomputesTheEta() {
        Campaign campaign = aCampaign().state(CampaignState.RUNNING).eligible(1000).chunks(10).startedAt(START).build();

        CampaignProgress p = CampaignProgress.of(campaign, someProgress(), NOW).withRate(45.0);

        assertThat(p.perSecond()).isEqualTo(45.0);
        assertThat(p.eta()).isEqualTo(Duration.ofSeconds(20));
        assertThat(p.remaining()).isEqualTo(900);
    }

    @Test
    void jsonHasExactlyTheDocumentedFieldsAndValues() {
        Campaign campaign = aCampaign().state(CampaignState.RUNNING).eligible(1000).chunks(10).startedAt(START).build();

        String json = CampaignProgress.of(campaign, someProgress(), NOW)
                .withUncertainByCause(Map.of(UncertainCause.RELAY_CONNECTION_LOST, 2L)).toJson();
        Document d = Document.parse(json);

        assertThat(json).doesNotContain("\n");
        assertThat(d.keySet()).containsExactlyInAnyOrder("campaignId", "state", "stateReason", "eligible", "sent",
                "failed", "invalid", "suppressed", "skipped", "unverified", "uncertain", "uncertainByCause", "remaining", "chunks", "chunksDone", "perSecond",
                "etaSeconds", "senders", "simulated", "unsubscribed", "bounced", "hardBounced", "complaints");
        assertThat(d.get("uncertainByCause", Document.class))
                .containsExactly(Map.entry("node-died", 0), Map.entry("relay-connection-lost", 2));
        assertThat(d.get("campaignId")).isEqualTo("c-test");
        assertThat(d.get("state")).isEqualTo("RUNNING");
        assertThat(d.get("stateReason")).isNull();
        assertThat(((Number) d.get("eligible")).longValue()).isEqualTo(1000);
        assertThat(((Number) d.get("sent")).longValue()).isEqualTo(80);
        assertThat(((Number) d.get("failed")).longValue()).isEqualTo(15);
        assertThat(((Number) d.get("invalid")).longValue()).isEqualTo(5);
        assertThat(((Number) d.get("suppressed")).longValue()).isZero();
        assertThat(((Number) d.get("skipped")).longValue()).isZero();
        assertThat(((Number) d.get("unverified")).longValue()).isZero();
        assertThat(((Number) d.get("uncertain")).longValue()).isEqualTo(3);
        assertThat(((Number) d.get("remaining")).longValue()).isEqualTo(900);
        assertThat(((Number) d.get("chunks")).intValue()).isEqualTo(10);
        assertThat(((Number) d.get("chunksDone")).intValue()).isEqualTo(1);
        assertThat(((Number) d.get("perSecond")).doubleValue()).isEqualTo(10.0);
        assertThat(((Number) d.get("etaSeconds")).longValue()).isEqualTo(90);
    }

    @Test
    void jsonEscapesQuotesBackslashesAndControlCharacters() {
        String id = "c\"1\\x";
        String reason = "paused by \"ops\"\nline 2\r\tend\u0001";
        Campaign campaign = aCampaign().id(id).state(CampaignState.PAUSED).stateReason(reason).eligible(5).build();

        String json = CampaignProgress.of(campaign, List.of(), NOW).toJson();

        assertThat(json).doesNotContain("\n", "\r", "\t", "\u0001");
        Document d = Document.parse(json);
        assertThat(d.getString("campaignId")).isEqualTo(id);
        assertThat(d.getString("stateReason")).isEqualTo(reason);
    }

    @Test
    void jsonNumbersUseADotWhateverTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            Campaign campaign = aCampaign().state(CampaignState.RUNNING).eligible(1000).chunks(10).startedAt(START).build();
            String json = CampaignProgress.of(campaign, someProgress(), NOW).withRate(12.25).toJson();

            assertThat(json).contains("\"perSecond\":12.3").doesNotContain("12,");
            assertThat(((Number) Document.parse(json).get("perSecond")).doubleValue()).isEqualTo(12.3);
        } finally {
            Locale.setDefault(saved);
        }
    }
}
