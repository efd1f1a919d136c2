package io.mailcast.bounce;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SoftBouncePolicyTest {

    @Test
    void aWindowReachingFurtherBackThanSoftBouncesAreKeptIsRefusedNamingTheFlag() {
        assertThat(new SoftBouncePolicy(3, Duration.ofDays(90)).window()).isEqualTo(Duration.ofDays(90));
        assertThatThrownBy(() -> new SoftBouncePolicy(3, Duration.ofDays(91)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--soft-bounce-window-days must be at most 90 (soft bounces are kept that long), got 91");
    }

    @Test
    void limitAndShortestWindow() {
        assertThatThrownBy(() -> new SoftBouncePolicy(0, Duration.ofDays(7))).hasMessageContaining("--soft-bounce-limit");
        assertThatThrownBy(() -> new SoftBouncePolicy(3, Duration.ofSeconds(30))).hasMessageContaining("at least a minute");
    }
}
