package io.mailcast.campaign;

import io.mailcast.chunk.ChunkCounts;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.ChunkState;
import io.mailcast.delivery.UncertainCause;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a campaign stands, computed from its stored chunks.
 *
 * @param perSecond        recipients finished per second since the campaign started (or over the window a watcher
 *                         measured)
 * @param eta              time left at that rate, {@code null} when unknown: paused, planning, or still
 *                         {@linkplain #estimating() estimating}
 * @param uncertainByCause recipients flagged uncertain in the deliveries, by cause; empty until counted
 *                         ({@link #withUncertainByCause}). {@code counts().uncertain()} counts possible second sends,
 *                         so it can exceed their sum: a recipient re-sent after two takeovers is one flagged delivery.
 * @param senders          kinds of sender that delivered it (simulated, smtp, relays); empty until read
 *                         ({@link #withSenders}) or before its first chunk ran
 * @param reactions        unsubscribes, bounces and complaints that came back; none until read ({@link #withReactions})
 */
public record CampaignProgress(Campaign campaign, ChunkCounts counts, int chunksDone, int chunksOwned, long remaining,
                               double perSecond, Duration eta, Map<UncertainCause, Long> uncertainByCause,
                               Set<String> senders, CampaignReactions reactions) {

    /**
     * The shortest span a rate is measured over before it yields an ETA. Over the first seconds a rate reflects the
     * start-up (planning, the first claims, counts not written back yet), and the ETAs it gives are hours off.
     */
    public static final Duration RATE_WINDOW = Duration.ofSeconds(10);

    public CampaignProgress {
        uncertainByCause = Map.copyOf(uncertainByCause);
        senders = Set.copyOf(senders);
        reactions = reactions == null ? CampaignReactions.NONE : reactions;
    }

    public static CampaignProgress of(Campaign campaign, List<ChunkRecord> chunks, Instant now) {
        ChunkCounts counts = chunks.stream().map(ChunkRecord::counts).reduce(ChunkCounts.ZERO, ChunkCounts::plus);
        int done = (int) chunks.stream().filter(c -> c.state() == ChunkState.DONE).count();
        int owned = (int) chunks.stream().filter(c -> c.state() == ChunkState.OWNED).count();
        long remaining = Math.max(0, campaign.eligible() - counts.finished());
        if (campaign.state() == CampaignState.COMPLETED) {
            remaining = 0;
        }
        Instant end = campaign.finishedAt() != null ? campaign.finishedAt() : now;
        double seconds = campaign.startedAt() == null ? 0 : Duration.between(campaign.startedAt(), end).toMillis() / 1000.0;
        double rate = seconds > 0 ? counts.finished() / seconds : 0;
        boolean measured = seconds >= RATE_WINDOW.toMillis() / 1000.0;
        return new CampaignProgress(campaign, counts, done, owned, remaining, rate,
                eta(remaining, measured ? rate : 0, campaign), Map.of(), Set.of(), CampaignReactions.NONE);
    }

    /** The same figures with the rate measured over a recent window (for a live view). */
    public CampaignProgress withRate(double perSecondNow) {
        return new CampaignProgress(campaign, counts, chunksDone, chunksOwned, remaining, perSecondNow,
                eta(remaining, perSecondNow, campaign), uncertainByCause, senders, reactions);
    }

    /** The same figures with the flagged deliveries counted by cause; a cause missing from {@code byCause} counts 0. */
    public CampaignProgress withUncertainByCause(Map<UncertainCause, Long> byCause) {
        Map<UncertainCause, Long> all = new EnumMap<>(UncertainCause.class);
        for (UncertainCause cause : UncertainCause.values()) {
            all.put(cause, byCause.getOrDefault(cause, 0L));
        }
        return new CampaignProgress(campaign, counts, chunksDone, chunksOwned, remaining, perSecond, eta, all, senders,
                reactions);
    }

    /** The same figures with the kinds of sender that delivered the campaign. */
    public CampaignProgress withSenders(Set<String> kinds) {
        return new CampaignProgress(campaign, counts, chunksDone, chunksOwned, remaining, perSecond, eta,
                uncertainByCause, kinds, reactions);
    }

    /** The same figures with what came back from recipients. */
    public CampaignProgress withReactions(CampaignReactions counted) {
        return new CampaignProgress(campaign, counts, chunksDone, chunksOwned, remaining, perSecond, eta,
                uncertainByCause, senders, counted);
    }

    /** Whether a simulated sender "delivered" any of it: those recipients got nothing. */
    public boolean simulated() {
        return senders.stream().anyMatch(kind -> kind.contains("simulated"));
    }

    private static Duration eta(long remaining, double rate, Campaign campaign) {
        // Before planning ends, "nothing remaining" only means nothing is counted yet.
        if (campaign.state() == CampaignState.PLANNING) {
            return null;
        }
        if (remaining == 0) {
            return Duration.ZERO;
        }
        if (rate <= 0 || campaign.state() != CampaignState.RUNNING) {
            return null;
        }
        return Duration.ofMillis((long) (remaining / rate * 1000));
    }

    /** Running with no ETA yet: the rate is not measured over {@link #RATE_WINDOW}, or nothing finished within it. */
    public boolean estimating() {
        return campaign.state() == CampaignState.RUNNING && eta == null;
    }

    /** Share of the eligible recipients finished; an empty audience is 100 % only once it is COMPLETED. */
    public double percent() {
        if (campaign.eligible() == 0) {
            return campaign.state() == CampaignState.COMPLETED ? 100.0 : 0.0;
        }
        return 100.0 * counts.finished() / campaign.eligible();
    }

    /** One JSON object; the field set is part of the CLI's interface. */
    public String toJson() {
        return "{" + field("campaignId", quote(campaign.id())) + "," + field("state", quote(campaign.state().name()))
                + "," + field("stateReason", campaign.stateReason() == null ? "null" : quote(campaign.stateReason()))
                + "," + field("eligible", campaign.eligible()) + "," + field("sent", counts.sent())
                + "," + field("failed", counts.failed()) + "," + field("invalid", counts.invalid())
                + "," + field("suppressed", counts.suppressed())
                + "," + field("skipped", counts.skipped())
                + "," + field("unverified", counts.unverified())
                + "," + field("uncertain", counts.uncertain())
                + "," + field("uncertainByCause", uncertainByCauseJson())
                + "," + field("remaining", remaining)
                + "," + field("chunks", campaign.chunks()) + "," + field("chunksDone", chunksDone)
                + "," + field("perSecond", String.format(Locale.ROOT, "%.1f", perSecond))
                + "," + field("etaSeconds", eta == null ? "null" : String.valueOf(eta.toSeconds()))
                + "," + field("senders", senders.stream().sorted().map(CampaignProgress::quote)
                        .collect(Collectors.joining(",", "[", "]")))
                + "," + field("simulated", simulated())
                + "," + field("unsubscribed", reactions.unsubscribed()) + "," + field("bounced", reactions.bounced())
                + "," + field("hardBounced", reactions.hardBounced()) + "," + field("complaints", reactions.complaints())
                + "}";
    }

    /** {@code {"node-died":3,"relay-connection-lost":2}} in the causes' order; {@code {}} when not counted. */
    private String uncertainByCauseJson() {
        return Arrays.stream(UncertainCause.values()).filter(uncertainByCause::containsKey)
                .map(c -> field(c.label(), uncertainByCause.get(c))).collect(Collectors.joining(",", "{", "}"));
    }

    private static String field(String name, Object value) {
        return "\"" + name + "\":" + value;
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
