package io.mailcast.coordinator;

import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignProgress;
import io.mailcast.campaign.CampaignState;
import io.mailcast.chunk.ChunkCounts;
import io.mailcast.cluster.NodeStatsRecord;
import io.mailcast.delivery.UncertainCause;
import io.mailcast.subscriber.Audience;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressViewTest {

    private static final String REDRAW = "\033[";

    private final Campaign running = new Campaign("c-1", "S", "a@example.com", null, "t", null, Audience.SUBSCRIBED, 100,
            CampaignState.RUNNING, null, 1_000, 10, Instant.parse("2026-11-23T10:00:00Z"),
            Instant.parse("2026-11-23T10:00:00Z"), null);
    private final NodeFigures.Result twoNodes = new NodeFigures.Result(List.of(
            new NodeStatsRecord("n1", "10.0.0.1:5701", 300, 1, 2, 5, 0, 40, 2, 120.0, 0),
            new NodeStatsRecord("n2", "10.0.0.2:5701", 200, 0, 0, 0, 0, 30, 1, 80.0, 0)), null);

    private CampaignProgress at(long sent) {
        return new CampaignProgress(running, new ChunkCounts(sent, 0, 0, 0, 0, 0), 0, 2, 1_000 - sent, 100, Duration.ofSeconds(5),
                Map.of(), Set.of(), null);
    }

    @Test
    void onATerminalEachUpdateRedrawsTheBlockInPlace() {
        var bytes = new ByteArrayOutputStream();
        var view = new ProgressView(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, true);
        view.update(at(100), twoNodes);
        String first = bytes.toString(StandardCharsets.UTF_8);
        view.update(at(500), twoNodes);
        String second = bytes.toString(StandardCharsets.UTF_8).substring(first.length());

        assertThat(first).doesNotContain(REDRAW).contains("[###").contains("10.0%").contains("node 10.0.0.1:5701");
        int lines = first.split("\n").length;
        assertThat(second).startsWith("\033[" + lines + "F\033[J").contains("50.0%").contains("ETA 5s");
    }

    @Test
    void withoutATerminalEachUpdateIsOnePlainLine() {
        var bytes = new ByteArrayOutputStream();
        var view = new ProgressView(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, false);
        view.update(at(100), NodeFigures.Result.EMPTY);
        view.update(at(500), NodeFigures.Result.EMPTY);
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertThat(out).doesNotContain(REDRAW);
        assertThat(out.lines().toList()).hasSize(2).allMatch(l -> l.startsWith("c-1 RUNNING"));
        assertThat(out.lines().toList().get(1)).contains("50.0%").contains("sent=500").contains("remaining=500");
    }

    @Test
    void theEtaSaysEstimatingUntilTheRateIsMeasuredOverTheWholeWindow() {
        CampaignProgress unmeasured = new CampaignProgress(running, new ChunkCounts(10, 0, 0, 0, 0, 0), 0, 2, 990, 1.5, null, Map.of(), Set.of(), null);
        var meter = new RateMeter(Duration.ofSeconds(10));
        long second = 1_000_000_000L;

        for (int s = 0; s <= 9; s++) {
            meter.sample(s * second, 100L * s);
            CampaignProgress p = meter.applyTo(unmeasured);
            assertThat(p.estimating()).as("after %d s", s).isTrue();
            assertThat(ProgressView.block(p).get(3)).contains("ETA estimating…");
            assertThat(ProgressView.line(p)).contains("eta=estimating…");
            assertThat(p.toJson()).contains("\"etaSeconds\":null");
        }
        meter.sample(10 * second, 1_000);
        CampaignProgress measured = meter.applyTo(unmeasured);

        assertThat(measured.estimating()).isFalse();
        assertThat(measured.perSecond()).isEqualTo(100.0);
        assertThat(ProgressView.block(measured).get(3)).contains("rate 100/s").contains("ETA 9s");
        assertThat(measured.toJson()).contains("\"etaSeconds\":9");
        // Irregular samples later on never shrink the measured span below the window again.
        meter.sample(10 * second + second / 2, 1_050);
        meter.sample(21 * second, 2_100);
        assertThat(meter.applyTo(unmeasured).estimating()).isFalse();
    }

    @Test
    void aPlanningCampaignSaysSoInsteadOfDrawingABar() {
        Campaign planning = new Campaign("c-2", "S", "a@example.com", null, "t", null, Audience.SUBSCRIBED, 100,
                CampaignState.PLANNING, null, 0, 0, Instant.parse("2026-11-23T10:00:00Z"), null, null);

        List<String> block = ProgressView.block(CampaignProgress.of(planning, List.of(), Instant.parse("2026-11-23T10:00:05Z")));

        assertThat(block.get(1)).contains("planning").doesNotContain("[").doesNotContain("%");
        assertThat(block.get(3)).contains("ETA -");
    }

    @Test
    void jsonModePrintsOneObjectPerUpdate() {
        var bytes = new ByteArrayOutputStream();
        var view = new ProgressView(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, true);
        view.update(at(100), twoNodes);
        view.update(at(200), twoNodes);
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(org.bson.Document.parse(lines.get(1)).get("sent")).isEqualTo(200);
    }

    @Test
    void theUncertainFigureIsExplainedByCauseInEveryForm() {
        CampaignProgress p = new CampaignProgress(running, new ChunkCounts(900, 0, 0, 0, 0, 5), 9, 1, 100, 100,
                Duration.ofSeconds(1), Map.of(), Set.of(), null).withUncertainByCause(Map.of(UncertainCause.NODE_DIED, 3L,
                UncertainCause.RELAY_CONNECTION_LOST, 2L));

        assertThat(ProgressView.block(p).get(2)).endsWith("uncertain 5 (node died 3, relay connection lost 2)");
        assertThat(ProgressView.line(p)).contains("uncertain=5 (node died 3, relay connection lost 2) remaining=100");
        assertThat(org.bson.Document.parse(p.toJson()).get("uncertainByCause", org.bson.Document.class))
                .containsEntry("node-died", 3).containsEntry("relay-connection-lost", 2);
        assertThat(ProgressView.line(at(100))).contains("uncertain=0 remaining=900");
    }

    @Test
    void unverifiedRecipientsHaveTheirOwnFigureForCampaignsRequiringValidation() {
        Campaign checked = new Campaign("c-2", "S", "a@example.com", null, "t", null, Audience.SUBSCRIBED, 100,
                CampaignState.RUNNING, null, 1_000, 10, running.createdAt(), running.startedAt(), null,
                io.mailcast.validation.ValidationRequirement.CONFIRMED_OR_VALID);
        CampaignProgress p = new CampaignProgress(checked, new ChunkCounts(600, 0, 0, 0, 7, 0, 300), 9, 1, 93, 100,
                Duration.ofSeconds(1), Map.of(), Set.of(), null);

        assertThat(ProgressView.block(p).get(2)).contains("skipped 7   unverified 300   uncertain 0");
        assertThat(ProgressView.line(p)).contains("skipped=7 unverified=300 uncertain=0");
        assertThat(org.bson.Document.parse(p.toJson()).get("unverified")).isEqualTo(300);
        assertThat(ProgressView.line(at(100))).as("campaigns without the rule never show it").doesNotContain("unverified");
    }

    @Test
    void aSimulatedCampaignIsCalledOutInEveryForm() {
        CampaignProgress p = at(500).withSenders(Set.of("simulated"));

        assertThat(ProgressView.block(p).getFirst()).endsWith("SIMULATED (sender simulated; nothing really sent)");
        assertThat(p.toJson()).contains("\"senders\":[\"simulated\"]").contains("\"simulated\":true");
        assertThat(at(500).withSenders(Set.of("smtp")).toJson()).contains("\"simulated\":false");
        assertThat(ProgressView.block(at(500).withSenders(Set.of("relays"))).getFirst()).endsWith("  sender relays");
    }
}
