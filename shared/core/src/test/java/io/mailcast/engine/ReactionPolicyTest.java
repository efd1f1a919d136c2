package io.mailcast.engine;

import io.mailcast.campaign.CampaignReactions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReactionPolicyTest {

    private final ReactionPolicy policy = ReactionPolicy.DEFAULT;

    @Test
    void complaintsAbovePointThreePercentPause() {
        assertThat(policy.verdict(10_000, new CampaignReactions(50, 40, 20, 30))).isNull();
        assertThat(policy.verdict(10_000, new CampaignReactions(0, 0, 0, 31)))
                .isEqualTo("paused automatically: 31 complaints for 10,000 sent (0.31%, limit 0.30%); check the audience "
                        + "and its consent before resuming");
    }

    @Test
    void hardBouncesAboveFivePercentPauseSoftOnesDoNot() {
        assertThat(policy.verdict(2_000, new CampaignReactions(0, 900, 100, 0))).isNull();
        assertThat(policy.verdict(2_000, new CampaignReactions(0, 101, 101, 0))).contains("101 hard bounces for 2,000 sent");
    }

    @Test
    void tooFewSentToJudge() {
        assertThat(policy.verdict(999, new CampaignReactions(0, 999, 999, 999))).isNull();
    }

    @Test
    void ratesOutsideZeroToOneAreRefused() {
        assertThatThrownBy(() -> new ReactionPolicy(0, 0.01, 10)).hasMessageContaining("--max-hard-bounce-rate");
        assertThatThrownBy(() -> new ReactionPolicy(0.05, 1.5, 10)).hasMessageContaining("--max-complaint-rate");
    }
}
