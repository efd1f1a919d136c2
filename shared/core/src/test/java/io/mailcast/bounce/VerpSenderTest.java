package io.mailcast.bounce;

import io.mailcast.sender.OutgoingMessage;
import io.mailcast.sender.SendResult;
import io.mailcast.sender.Sender;
import io.mailcast.subscriber.SubscriberId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VerpSenderTest {

    @Test
    void eachMessageGoesOnWithItsOwnSignedEnvelopeSenderAndTheSenderKindShowsThrough() throws Exception {
        List<OutgoingMessage> passed = new ArrayList<>();
        Sender relay = new Sender() {
            @Override
            public SendResult send(OutgoingMessage message) {
                passed.add(message);
                return SendResult.sent("relay");
            }

            @Override
            public String kind() {
                return "smtp";
            }
        };
        VerpAddresses verp = new VerpAddresses("bounce.example.com",
                new BounceSigner("0123456789abcdef-secret".getBytes(StandardCharsets.UTF_8)));
        Sender sender = new VerpSender(relay, verp);

        for (long id = 1; id <= 2; id++) {
            assertThat(sender.send(new OutgoingMessage("spring-sale", SubscriberId.of(id), "news@example.com", null,
                    "s" + id + "@example.org", null, "Hi", "text", null, null))).isEqualTo(SendResult.sent("relay"));
        }

        assertThat(sender.kind()).isEqualTo("smtp");
        assertThat(passed).extracting(m -> verp.token(m.envelopeSender()).orElseThrow())
                .containsExactly(new BounceToken("spring-sale", "1"), new BounceToken("spring-sale", "2"));
        assertThat(passed).extracting(OutgoingMessage::from).containsOnly("news@example.com");
    }
}
