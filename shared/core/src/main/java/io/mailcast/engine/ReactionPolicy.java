package io.mailcast.engine;

import io.mailcast.campaign.CampaignReactions;

import java.util.Locale;

/**
 * When a campaign pauses itself because its recipients push back: more than {@code maxHardBounceRate} of its sent
 * messages bounced for good, or more than {@code maxComplaintRate} were reported as spam, once at least
 * {@code minSample} were sent. Defaults: complaints 0.3 %, the rate Gmail and Yahoo tell bulk senders never to reach
 * (February 2024 sender requirements); hard bounces 5 %, where Amazon SES puts an account under review.
 */
public record ReactionPolicy(double maxHardBounceRate, double maxComplaintRate, long minSample) {

    public static final ReactionPolicy DEFAULT = new ReactionPolicy(0.05, 0.003, 1_000);

    public ReactionPolicy {
        check("--max-hard-bounce-rate", maxHardBounceRate);
        check("--max-complaint-rate", maxComplaintRate);
        if (minSample < 1) {
            throw new IllegalArgumentException("reaction sample must be at least 1, got " + minSample);
        }
    }

    private static void check(String flag, double rate) {
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException(flag + " must be above 0 and at most 1, got " + rate);
        }
    }

    /** The reason to pause, or {@code null} to go on. */
    String verdict(long sent, CampaignReactions reactions) {
        if (sent < minSample) {
            return null;
        }
        double complaints = (double) reactions.complaints() / sent;
        if (complaints > maxComplaintRate) {
            return String.format(Locale.ROOT, "paused automatically: %,d complaints for %,d sent (%.2f%%, limit %.2f%%); "
                    + "check the audience and its consent before resuming", reactions.complaints(), sent,
                    100 * complaints, 100 * maxComplaintRate);
        }
        double hard = (double) reactions.hardBounced() / sent;
        if (hard > maxHardBounceRate) {
            return String.format(Locale.ROOT, "paused automatically: %,d hard bounces for %,d sent (%.1f%%, limit %.1f%%); "
                    + "clean the list (bin/coordinator validate) before resuming", reactions.hardBounced(), sent,
                    100 * hard, 100 * maxHardBounceRate);
        }
        return null;
    }
}
