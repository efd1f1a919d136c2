package io.mailcast.bounce;

import io.mailcast.sender.OutgoingMessage;
import io.mailcast.subscriber.SubscriberId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VerpAddressesTest {

    private final VerpAddresses verp = new VerpAddresses("Bounce.Example.com",
            new BounceSigner("0123456789abcdef-secret".getBytes(StandardCharsets.UTF_8)));

    @Test
    void aMessagesEnvelopeSenderLeadsBackToItsCampaignAndSubscriber() {
        OutgoingMessage message = new OutgoingMessage("spring-sale", SubscriberId.of(7), "News <news@example.com>",
                null, "ann@example.org", null, "Hi", "text", null, null);

        String sender = verp.forMessage(message);

        assertThat(sender).startsWith("bounces+").endsWith("@bounce.example.com");
        assertThat(verp.token(sender)).contains(new BounceToken("spring-sale", SubscriberId.of(7).key()));
        assertThat(verp.token(sender.toUpperCase().replace("BOUNCES+", "Bounces+")
                .substring(0, 8) + sender.substring(8, sender.indexOf('@')) + "@BOUNCE.EXAMPLE.COM"))
                .as("prefix and domain in any case").isPresent();
    }

    @Test
    void otherDomainsPlainAddressesAndForgedTokensHaveNoToken() {
        String sender = verp.forMessage(new OutgoingMessage("c", SubscriberId.of(1), "a@example.com", null,
                "b@example.org", null, "s", "t", null, null));
        String local = sender.substring(0, sender.indexOf('@'));

        assertThat(verp.token(local + "@example.com")).isEmpty();
        assertThat(verp.token("postmaster@bounce.example.com")).isEmpty();
        assertThat(verp.token("bounces+@bounce.example.com")).isEmpty();
        assertThat(verp.token("bounces+AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA@bounce.example.com")).isEmpty();
        assertThat(verp.token("no-at-sign")).isEmpty();
        assertThat(verp.isBounceDomain("x@bounce.example.com")).isTrue();
        assertThat(verp.isBounceDomain("x@evil-bounce.example.com")).isFalse();
    }

    @Test
    void aBadDomainIsRefused() {
        BounceSigner signer = new BounceSigner(new byte[16]);
        assertThatThrownBy(() -> new VerpAddresses("localhost", signer)).hasMessageContaining("bounce.example.com");
        assertThatThrownBy(() -> new VerpAddresses("a b.com", signer)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VerpAddresses(" ", signer)).hasMessageContaining("missing");
    }
}
