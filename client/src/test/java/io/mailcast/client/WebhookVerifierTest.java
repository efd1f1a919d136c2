package io.mailcast.client;

import io.mailcast.http.WebhookSignature;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The client's check against the node's own signer: what one signs, the other accepts, and nothing else. */
class WebhookVerifierTest {

    private static final String SECRET = "a-webhook-secret-of-32-characters";
    private static final String BODY = "{\"id\":\"m1:sent:0\",\"type\":\"message.sent\",\"message\":{\"id\":\"m1\"}}";
    private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    @Test
    void aReportSignedByTheNodeIsAccepted() {
        String header = WebhookSignature.sign(SECRET, AT, BODY);
        assertThat(WebhookVerifier.verify(SECRET, header, BODY, AT.plusSeconds(30), FIVE_MINUTES)).isTrue();
    }

    @Test
    void aChangedBodyAnotherSecretAnOldOrBrokenHeaderAreRefused() {
        String header = WebhookSignature.sign(SECRET, AT, BODY);
        assertThat(WebhookVerifier.verify(SECRET, header, BODY.replace("sent", "failed"), AT, FIVE_MINUTES)).isFalse();
        assertThat(WebhookVerifier.verify("another-secret-of-32-characters!", header, BODY, AT, FIVE_MINUTES)).isFalse();
        assertThat(WebhookVerifier.verify(SECRET, header, BODY, AT.plus(Duration.ofMinutes(6)), FIVE_MINUTES))
                .as("a replay after the tolerance").isFalse();
        assertThat(WebhookVerifier.verify(SECRET, null, BODY, AT, FIVE_MINUTES)).isFalse();
        assertThat(WebhookVerifier.verify(SECRET, "t=abc,v1=00", BODY, AT, FIVE_MINUTES)).isFalse();
        assertThat(WebhookVerifier.verify(SECRET, header.replaceAll("t=\\d+", "t=" + (AT.getEpochSecond() + 1)), BODY,
                AT, FIVE_MINUTES)).as("the time is signed too").isFalse();
    }
}
