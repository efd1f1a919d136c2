package io.mailcast.node;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.sender.RelayFigures;
import io.mailcast.sender.SendResult;
import io.mailcast.sender.Sender;
import io.mailcast.sender.smtp.SmtpConfig;
import io.mailcast.sender.smtp.TlsMode;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.testing.SettableClock;
import io.mailcast.time.Sleeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --sender smtp} is a relay set of one: a real SMTP server behind it, and a test clock that the sender's waits
 * move forward instead of sleeping.
 */
class SmtpPathLimitsTest {

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-02T10:00:00Z"));
    private GreenMail relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.stop();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theRateLimitSpacesSendsOnTheInjectedClock() throws Exception {
        relay = startRelay(0);
        var settings = new SenderSettings.Smtp(smtp(relay.getSmtp().getPort()), 10, 0, 0,
                SenderSettings.Smtp.DEFAULT_COOL_DOWN);
        Instant start = clock.instant();
        try (Sender sender = settings.create(null, clock, movesTheClock())) {
            for (int i = 0; i < 21; i++) {
                assertThat(sender.send(message(i)).isSent()).isTrue();
            }
            assertThat(sender.kind()).isEqualTo("smtp");
            assertThat(sender.relayFigures()).extracting(RelayFigures::relay, RelayFigures::sent)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("smtp", 21L));
        }
        // 10 per second: 21 sends take 20 intervals of 100 ms on the clock, and no more than a slot's rounding.
        assertThat(Duration.between(start, clock.instant())).isBetween(Duration.ofMillis(1_990), Duration.ofMillis(2_100));
        assertThat(relay.getReceivedMessages()).hasSize(21);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aRelayThatIsDownDelaysTheSendInsteadOfFailingIt() throws Exception {
        int port = freePort();
        var settings = new SenderSettings.Smtp(smtp(port), 0, 0, 0, Duration.ofSeconds(30));
        Instant start = clock.instant();
        // Nothing listens at first; the relay comes up once the waiting send has slept through 20 s of the clock.
        Sleeper relayComesBack = duration -> {
            clock.advance(duration);
            if (relay == null && Duration.between(start, clock.instant()).toSeconds() >= 20) {
                relay = startRelay(port);
            }
        };
        try (Sender sender = settings.create(null, clock, relayComesBack)) {
            SendResult result = sender.send(message(1));
            assertThat(result.isSent()).as(String.valueOf(result)).isTrue();
            assertThat(sender.relayFigures().getFirst().markedDown()).isEqualTo(1);
        }
        // Marked down for its 30 s cool-down; the send waited that out on the clock, then went through.
        assertThat(Duration.between(start, clock.instant())).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(40));
        assertThat(relay.getReceivedMessages()).hasSize(1);
    }

    @Test
    void describesItsLimits() {
        var settings = new SenderSettings.Smtp(smtp(25), 5, 1_000, 20_000, Duration.ofSeconds(45));
        assertThat(settings.describe()).contains("rate=5.0/s", "per-hour=1000", "per-day=20000", "cool-down=45s");
        assertThat(settings.relaySet().relays()).singleElement().satisfies(r -> {
            assertThat(r.messagesPerSecond()).isEqualTo(5);
            assertThat(r.perHour()).isEqualTo(1_000);
            assertThat(r.perDay()).isEqualTo(20_000);
        });
        assertThat(settings.relaySet().policy().coolDown()).isEqualTo(Duration.ofSeconds(45));
    }

    private Sleeper movesTheClock() {
        return clock::advance;
    }

    private static GreenMail startRelay(int port) {
        GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        return mail;
    }

    private static SmtpConfig smtp(int port) {
        return SmtpConfig.of("127.0.0.1", port).withTls(TlsMode.NONE).withPoolSize(1);
    }

    private static OutgoingMessage message(long id) {
        return new OutgoingMessage("limits", SubscriberId.of(id), "news@example.com", null, "reader" + id + "@example.org",
                null, "Hello", "Hello " + id, null, null);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
