package io.mailcast.sender.relay;

import io.mailcast.sender.OutgoingMessage;
import io.mailcast.sender.SendResult;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.testing.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Limits per recipient domain, on a test clock that the pacing waits move forward. */
class DomainLimitsTest {

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-02T10:00:00Z"));
    private final ScriptedSender relay = ScriptedSender.accepting("r");
    private final DomainRates rates = new DomainRates();
    private final DomainPacedSender sender = new DomainPacedSender(relay, rates, clock, clock::advance, Duration.ofMinutes(10));

    @Test
    void onlyTheLimitedDomainIsSpaced() throws Exception {
        rates.set("Gmail.com", 10);
        Instant start = clock.instant();
        for (int i = 0; i < 5; i++) {
            assertThat(sender.send(to("ann" + i + "@example.org")).isSent()).isTrue();
        }
        assertThat(clock.instant()).as("other domains never wait").isEqualTo(start);
        for (int i = 0; i < 11; i++) {
            assertThat(sender.send(to("bob" + i + "@GMAIL.com")).isSent()).isTrue();
        }
        // 10 per second: 11 sends take 10 intervals of 100 ms.
        assertThat(Duration.between(start, clock.instant())).isBetween(Duration.ofMillis(1_000), Duration.ofMillis(1_010));
        assertThat(relay.calls()).hasSize(16);
    }

    @Test
    void aSendThatWouldWaitTooLongFailsRetryableWithoutReachingTheRelay() throws Exception {
        var impatient = new DomainPacedSender(relay, rates, clock, clock::advance, Duration.ofSeconds(5));
        rates.set("gmail.com", 0.1); // one every 10 s
        assertThat(impatient.send(to("a@gmail.com")).isSent()).isTrue();
        SendResult second = impatient.send(to("b@gmail.com"));
        assertThat(second.isSent()).isFalse();
        assertThat(second.retryable()).isTrue();
        assertThat(second.reason()).isEqualTo("no send slot for domain gmail.com within 5 s (its rate limit)");
        assertThat(relay.calls()).hasSize(1);
    }

    @Test
    void aLimitCanBeRaisedOrRemovedWhileSending() throws Exception {
        rates.set("gmail.com", 1);
        sender.send(to("a@gmail.com"));
        rates.set("gmail.com", 0);
        Instant before = clock.instant();
        sender.send(to("b@gmail.com"));
        assertThat(clock.instant()).isEqualTo(before);
        assertThat(rates.rate("gmail.com")).isZero();
    }

    @Test
    void theListOfLimitsIsParsedStrictly() {
        assertThat(DomainLimit.parseList(" gmail.com=10, Yahoo.COM=2.5 ")).containsExactly(
                new DomainLimit("gmail.com", 10), new DomainLimit("yahoo.com", 2.5));
        assertThat(DomainLimit.parseList("")).isEmpty();
        assertThat(DomainLimit.parseList("bücher.example=1")).extracting(DomainLimit::domain)
                .containsExactly("xn--bcher-kva.example");
        assertThatThrownBy(() -> DomainLimit.parseList("gmail.com")).hasMessageContaining("is not DOMAIN=PER_SECOND");
        assertThatThrownBy(() -> DomainLimit.parseList("gmail.com=fast")).hasMessageContaining("the rate is not a number");
        assertThatThrownBy(() -> DomainLimit.parseList("gmail=3")).hasMessageContaining("'gmail' is not a domain name");
        assertThatThrownBy(() -> DomainLimit.parseList("gmail.com=0")).hasMessageContaining("a limit of 0 is no limit");
        assertThatThrownBy(() -> DomainLimit.parseList("gmail.com=1,GMAIL.com=2")).hasMessageContaining("given twice");
        assertThatThrownBy(() -> DomainLimit.parseList("a@b.com=1")).hasMessageContaining("is not a domain name");
        assertThatThrownBy(() -> rates.set("gmail.com", -1)).hasMessageContaining("must be 0 (no limit) or a positive number");
    }

    private static OutgoingMessage to(String address) {
        return new OutgoingMessage("c", SubscriberId.of(1), "news@example.com", null, address, null, "Hi", "text", null,
                null);
    }
}
