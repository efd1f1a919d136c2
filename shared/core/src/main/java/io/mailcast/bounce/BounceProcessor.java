package io.mailcast.bounce;

import io.mailcast.subscriber.AddressNormalizer;
import io.mailcast.suppression.Suppression;
import io.mailcast.suppression.SuppressionList;
import io.mailcast.suppression.SuppressionReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Acts on one report sent to a VERP address: records it on the delivery, and suppresses the delivery's address for a
 * hard bounce or a complaint at once, for soft bounces once they pass the policy. Anything else is dropped and counted.
 * The address suppressed is always the one the delivery went to, never one named in the report, so a forged report
 * about someone else changes nothing.
 */
public final class BounceProcessor {

    private static final Logger log = LoggerFactory.getLogger(BounceProcessor.class);

    private final VerpAddresses verp;
    private final BounceStore store;
    private final SuppressionList suppressions;
    private final SoftBouncePolicy softPolicy;
    private final Clock clock;
    private final BounceStats stats = new BounceStats();

    public BounceProcessor(VerpAddresses verp, BounceStore store, SuppressionList suppressions,
                           SoftBouncePolicy softPolicy, Clock clock) {
        this.verp = Objects.requireNonNull(verp, "verp");
        this.store = Objects.requireNonNull(store, "store");
        this.suppressions = Objects.requireNonNull(suppressions, "suppressions");
        this.softPolicy = Objects.requireNonNull(softPolicy, "softPolicy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public VerpAddresses verp() {
        return verp;
    }

    public BounceStats stats() {
        return stats;
    }

    /**
     * @param recipient the envelope recipient the report came to
     * @param report    what the message says, empty when it is no failed DSN nor complaint
     */
    public InboundVerdict process(String recipient, Optional<BounceReport> report) {
        InboundVerdict verdict = verdict(recipient, report);
        stats.count(verdict);
        return verdict;
    }

    private InboundVerdict verdict(String recipient, Optional<BounceReport> maybeReport) {
        Optional<BounceToken> token = verp.token(recipient);
        if (token.isEmpty()) {
            return InboundVerdict.DROPPED_UNSIGNED;
        }
        if (maybeReport.isEmpty()) {
            return InboundVerdict.DROPPED_NOT_A_REPORT;
        }
        BounceReport report = maybeReport.get();
        Instant now = clock.instant();
        Optional<BounceStore.RecordedBounce> recorded = store.record(token.get(), report, now);
        if (recorded.isEmpty()) {
            return InboundVerdict.DROPPED_NO_DELIVERY;
        }
        String address = AddressNormalizer.normalize(recorded.get().address());
        String campaignId = token.get().campaignId();
        log.debug("campaign={} subscriber={} {} {}", campaignId, token.get().subscriberKey(), report.kind(),
                report.status());
        switch (report.kind()) {
            // Suppressing again is harmless (the first entry stays), and completes a report resent after its
            // suppression failed.
            case HARD -> suppress(address, SuppressionReason.HARD_BOUNCE, campaignId, now, report.evidence());
            case COMPLAINT -> suppress(address, SuppressionReason.COMPLAINT, campaignId, now, report.evidence());
            case SOFT -> {
                if (recorded.get().first()) {
                    countSoftBounce(address, campaignId, now, report);
                }
            }
        }
        if (!recorded.get().first()) {
            return InboundVerdict.REPEATED;
        }
        return switch (report.kind()) {
            case HARD -> InboundVerdict.HARD_BOUNCE;
            case SOFT -> InboundVerdict.SOFT_BOUNCE;
            case COMPLAINT -> InboundVerdict.COMPLAINT;
        };
    }

    private void countSoftBounce(String address, String campaignId, Instant now, BounceReport report) {
        long recent = store.softBounce(address, now, now.minus(softPolicy.window()));
        if (recent >= softPolicy.limit()) {
            suppress(address, SuppressionReason.SOFT_BOUNCE, campaignId, now,
                    recent + " soft bounces within " + softPolicy.window() + "; last " + report.evidence());
        }
    }

    private void suppress(String address, SuppressionReason reason, String campaignId, Instant at, String evidence) {
        suppressions.addAll(List.of(new Suppression(address, reason, campaignId, at, evidence)));
    }
}
