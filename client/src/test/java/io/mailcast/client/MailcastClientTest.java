package io.mailcast.client;

import com.sun.net.httpserver.HttpServer;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.sender.SendResult;
import io.mailcast.message.ApiTemplate;
import io.mailcast.store.MongoApiTemplateStore;
import io.mailcast.testing.MongoFixture;
import io.mailcast.testing.SendApiFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client against the real send API (MongoDB embedded), and its retries against a server that fails first. */
class MailcastClientTest {

    @RegisterExtension
    static final MongoFixture mongo = new MongoFixture();

    private final List<OutgoingMessage> sent = new CopyOnWriteArrayList<>();
    private SendApiFixture api;
    private MailcastClient client;

    @BeforeEach
    void start() {
        mongo.dropAll();
        api = SendApiFixture.start(mongo.connection(), message -> {
            sent.add(message);
            return SendResult.sent("relay-1");
        });
        client = MailcastClient.builder(api.baseUri(), api.createKey(0, "example.com")).build();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void sendsAndPollsUntilTheMessageIsSent() throws Exception {
        String id = client.send(Email.text("Shop <shop@example.com>", "ann@example.org", "Receipt", "Thanks")
                .withTags("receipt"));

        MessageStatus status = client.awaitFinal(id, Duration.ofSeconds(10));

        assertThat(status.status()).isEqualTo("SENT");
        assertThat(status.delivered()).containsExactly("ann@example.org");
        assertThat(status.relay()).isEqualTo("relay-1");
        assertThat(sent).hasSize(1);
    }

    @Test
    void aTemplatedMessageIsRenderedWithItsData() throws Exception {
        new MongoApiTemplateStore(mongo.connection()).put(new ApiTemplate("welcome", "Welcome, {{name}}",
                "Your plan: {{plan.name}}", null, java.time.Instant.now()));

        String id = client.send(Email.fromTemplate("shop@example.com", "ann@example.org", "welcome",
                Map.of("name", "Ann", "plan", Map.of("name", "Pro"))));

        assertThat(client.awaitFinal(id, Duration.ofSeconds(10)).status()).isEqualTo("SENT");
        assertThat(sent).singleElement().satisfies(m -> {
            assertThat(m.subject()).isEqualTo("Welcome, Ann");
            assertThat(m.text()).isEqualTo("Your plan: Pro");
        });
        assertThatThrownBy(() -> client.send(Email.fromTemplate("shop@example.com", "ann@example.org", "welcome",
                Map.of("name", "Ann")))).isInstanceOfSatisfying(MailcastException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("data");
                });
    }

    @Test
    void theSameIdempotencyKeyGivesTheSameMessage() throws Exception {
        Email email = Email.text("shop@example.com", "ann@example.org", "Receipt", "Thanks");

        String first = client.send(email, "order-7");
        String again = client.send(email, "order-7");

        assertThat(again).isEqualTo(first);
        client.awaitFinal(first, Duration.ofSeconds(10));
        assertThat(sent).hasSize(1);
    }

    @Test
    void aRefusalIsThrownAtOnceWithTheField() {
        assertThatThrownBy(() -> client.send(Email.text("shop@example.net", "ann@example.org", "x", "y")))
                .isInstanceOfSatisfying(MailcastException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.field()).isEqualTo("from");
                });
        assertThatThrownBy(() -> client.send(Email.text("shop@example.com", "not an address", "x", "y")))
                .isInstanceOfSatisfying(MailcastException.class, e -> assertThat(e.field()).isEqualTo("to[0]"));
    }

    @Test
    void serverErrorsAreRetriedUnderTheSameIdempotencyKey() throws IOException {
        List<String> keys = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer flaky = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        flaky.createContext("/v1/messages", exchange -> {
            keys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            boolean fail = calls.incrementAndGet() < 3;
            byte[] body = (fail ? "{\"error\":\"store down\",\"field\":null}" : "{\"id\":\"m1\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(fail ? 503 : 202, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        flaky.start();
        try {
            var retrying = MailcastClient.builder(URI.create("http://127.0.0.1:" + flaky.getAddress().getPort()), "k")
                    .backoff(Duration.ofMillis(10)).build();

            assertThat(retrying.send(Email.text("shop@example.com", "ann@example.org", "x", "y"))).isEqualTo("m1");
            assertThat(keys).hasSize(3);
            assertThat(keys.stream().distinct()).hasSize(1);
        } finally {
            flaky.stop(0);
        }
    }
}
