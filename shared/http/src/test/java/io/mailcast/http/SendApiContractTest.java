package io.mailcast.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailcast.sender.smtp.SmtpConfig;
import io.mailcast.sender.smtp.SmtpSender;
import io.mailcast.sender.smtp.TlsMode;
import io.mailcast.message.ApiTemplate;
import io.mailcast.store.Collections;
import io.mailcast.store.MongoApiTemplateStore;
import io.mailcast.store.MongoSuppressionList;
import io.mailcast.suppression.Suppression;
import io.mailcast.suppression.SuppressionReason;
import io.mailcast.testing.MongoFixture;
import io.mailcast.testing.SendApiFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The send API over real HTTP, storing in MongoDB (embedded) and sending to a real SMTP server (GreenMail). */
class SendApiContractTest {

    @RegisterExtension
    static final MongoFixture mongo = new MongoFixture();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RECEIPT = """
            {"from": "Shop <shop@example.com>", "to": ["ann@example.org"], "subject": "Your receipt",
             "text": "Thanks for your order.", "tags": ["receipt"], "headers": {"X-Order": "42"}}""";

    private final HttpClient http = HttpClient.newHttpClient();

    private static HttpResponse<String> call(HttpClient http, HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static void assertError(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode body = json(response);
        assertThat(body.get("error").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(body.get("field").isNull() ? null : body.get("field").asText()).isEqualTo(field);
    }

    @Nested
    class Sending {

        private GreenMail smtp;
        private SmtpSender sender;
        private SendApiFixture api;
        private String key;

        @BeforeEach
        void start() {
            mongo.dropAll();
            smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
            smtp.start();
            sender = new SmtpSender(SmtpConfig.of("127.0.0.1", smtp.getSmtp().getPort()).withName("greenmail")
                    .withTls(TlsMode.NONE).withPoolSize(4), Clock.systemUTC());
            api = SendApiFixture.start(mongo.connection(), sender);
            key = api.createKey(0, "example.com");
        }

        @AfterEach
        void stop() {
            api.close();
            sender.close();
            smtp.stop();
        }

        private HttpRequest.Builder post(String path, String body) {
            return HttpRequest.newBuilder(api.baseUri().resolve(path)).header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        }

        private JsonNode status(String id) {
            return json(call(http, HttpRequest.newBuilder(api.baseUri().resolve("/v1/messages/" + id))
                    .header("Authorization", "Bearer " + key)));
        }

        @Test
        void suppressedRecipientsAreLeftOutButAnUnsubscribeDoesNotStopATransactionalMessage() throws Exception {
            new MongoSuppressionList(mongo.connection()).addAll(List.of(
                    new Suppression("gone@example.org", SuppressionReason.HARD_BOUNCE, "c1", Instant.now(), "5.1.1"),
                    new Suppression("angry@example.org", SuppressionReason.COMPLAINT, "c1", Instant.now(), "abuse"),
                    new Suppression("optout@example.org", SuppressionReason.UNSUBSCRIBED, "c1", Instant.now(), null)));

            HttpResponse<String> accepted = call(http, post("/v1/messages", """
                    {"from": "shop@example.com", "to": ["gone@example.org", "optout@example.org"],
                     "cc": ["angry@example.org", "ann@example.org"], "subject": "Reset", "text": "Your code: 1234"}"""));

            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            JsonNode body = json(accepted);
            assertThat(body.get("suppressed")).extracting(JsonNode::asText)
                    .containsExactly("gone@example.org", "angry@example.org");
            String id = body.get("id").asText();
            await().atMost(Duration.ofSeconds(10)).until(() -> status(id).get("status").asText().equals("SENT"));
            JsonNode sent = status(id);
            assertThat(sent.get("delivered")).extracting(JsonNode::asText)
                    .containsExactlyInAnyOrder("optout@example.org", "ann@example.org");
            assertThat(sent.get("suppressed")).extracting(JsonNode::asText)
                    .containsExactly("gone@example.org", "angry@example.org");
            assertThat(smtp.getReceivedMessages()).hasSize(2);

            HttpResponse<String> nobody = call(http, post("/v1/messages", """
                    {"from": "shop@example.com", "to": ["GONE@example.org"], "subject": "Reset", "text": "x"}"""));
            assertThat(nobody.statusCode()).isEqualTo(202).as("the local part is case-sensitive: another mailbox");
            HttpResponse<String> refused = call(http, post("/v1/messages", """
                    {"from": "shop@example.com", "to": ["gone@EXAMPLE.org"], "subject": "Reset", "text": "x"}"""));
            assertError(refused, 422, "to");
            assertThat(json(refused).get("error").asText())
                    .isEqualTo("every recipient is on the suppression list: gone@EXAMPLE.org (hard_bounce); remove an "
                            + "address with `coordinator suppression remove` if it was added by mistake");
            assertThat(mongo.connection().database().getCollection(Collections.MESSAGES).countDocuments())
                    .as("nothing stored for the refused one").isEqualTo(2);
        }

        @Test
        void aNamedTemplateIsRenderedWithTheRequestsDataBeforeItIsStored() throws Exception {
            new MongoApiTemplateStore(mongo.connection()).put(new ApiTemplate("password-reset", "Reset for {{user.name}}",
                    "Hi {{user.name}}, reset here: {{url}}", "<p>Hi {{user.name}}</p><a href=\"{{url}}\">reset</a>",
                    Instant.now()));

            HttpResponse<String> accepted = call(http, post("/v1/messages", """
                    {"from": "shop@example.com", "to": "ann@example.org", "template": "password-reset",
                     "data": {"user": {"name": "Ann <3"}, "url": "https://shop.example.com/r?t=1&u=2"}, "tags": ["reset"]}"""));

            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            String id = json(accepted).get("id").asText();
            await().atMost(Duration.ofSeconds(10)).until(() -> status(id).get("status").asText().equals("SENT"));
            assertThat(status(id).get("subject").asText()).isEqualTo("Reset for Ann <3");
            String raw = com.icegreen.greenmail.util.GreenMailUtil.getWholeMessage(smtp.getReceivedMessages()[0]);
            assertThat(raw).contains("Subject: Reset for Ann <3");
            var parts = (jakarta.mail.internet.MimeMultipart) smtp.getReceivedMessages()[0].getContent();
            String text = (String) parts.getBodyPart(0).getContent();
            String html = (String) parts.getBodyPart(1).getContent();
            assertThat(text).contains("Hi Ann <3, reset here: https://shop.example.com/r?t=1&u=2");
            assertThat(html).contains("<p>Hi Ann &lt;3</p>")
                    // JMustache escapes = too (safe in unquoted attributes); a browser reads the same URL.
                    .contains("href=\"https://shop.example.com/r?t&#x3D;1&amp;u&#x3D;2\"");

            assertError(call(http, post("/v1/messages", """
                    {"from": "shop@example.com", "to": "ann@example.org", "template": "password-reset",
                     "data": {"user": {"name": "Ann"}}}""")), 400, "data");
            assertError(call(http, post("/v1/messages", """
                    {"from": "shop@example.com", "to": "ann@example.org", "template": "no-such", "data": {}}""")),
                    400, "template");
            assertError(call(http, post("/v1/messages", """
                    {"from": "shop@example.com", "to": "ann@example.org", "template": "password-reset", "subject": "x",
                     "data": {"user": {"name": "Ann"}, "url": "u"}}""")), 400, "template");
            assertError(call(http, post("/v1/messages", """
                    {"from": "shop@example.com", "to": "ann@example.org", "subject": "x", "text": "y", "data": {}}""")),
                    400, "data");
            assertError(call(http, post("/v1/messages", """
                    {"from": "shop@example.com", "to": "ann@example.org", "template": "password-reset", "data": [1]}""")),
                    400, "data");
            assertThat(mongo.connection().database().getCollection(Collections.MESSAGES).countDocuments())
                    .as("only the one that rendered was stored").isEqualTo(1);
        }

        @Test
        void oneMessageIsAcceptedThenSentAndArrivesOnce() throws Exception {
            HttpResponse<String> accepted = call(http, post("/v1/messages", RECEIPT));

            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            String id = json(accepted).get("id").asText();
            assertThat(accepted.headers().firstValue("Location")).hasValue("/v1/messages/" + id);
            await().atMost(Duration.ofSeconds(10)).until(() -> status(id).get("status").asText().equals("SENT"));
            JsonNode sent = status(id);
            assertThat(sent.get("attempts").asInt()).isEqualTo(1);
            assertThat(sent.get("relay").asText()).isEqualTo("greenmail");
            assertThat(sent.get("uncertain").asBoolean()).isFalse();
            assertThat(sent.get("tags").get(0).asText()).isEqualTo("receipt");
            assertThat(smtp.getReceivedMessages()).hasSize(1);
            assertThat(smtp.getReceivedMessages()[0].getSubject()).isEqualTo("Your receipt");
            assertThat(smtp.getReceivedMessages()[0].getHeader("X-Order")[0]).isEqualTo("42");
        }

        @Test
        void twentyConcurrentRetriesWithOneIdempotencyKeyStoreAndSendOneMessage() throws Exception {
            List<Callable<HttpResponse<String>>> retries = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                retries.add(() -> call(http, post("/v1/messages", RECEIPT).header("Idempotency-Key", "order-42")));
            }
            List<HttpResponse<String>> responses = new ArrayList<>();
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                for (Future<HttpResponse<String>> f : clients.invokeAll(retries)) {
                    responses.add(f.get());
                }
            }

            Set<String> ids = new HashSet<>();
            for (HttpResponse<String> r : responses) {
                assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
                ids.add(json(r).get("id").asText());
            }
            assertThat(ids).hasSize(1);
            assertThat(responses.stream().filter(r -> r.statusCode() == 202)).hasSize(1);
            String id = ids.iterator().next();
            await().atMost(Duration.ofSeconds(10)).until(() -> status(id).get("status").asText().equals("SENT"));
            Thread.sleep(300); // time for a second copy to show up, were there one
            assertThat(smtp.getReceivedMessages()).hasSize(1);
            assertThat(mongo.connection().database().getCollection(Collections.MESSAGES).countDocuments()).isEqualTo(1);
        }

        @Test
        void aBatchAcceptsOrRefusesEachMessageOnItsOwn() {
            String batch = "{\"messages\": [" + RECEIPT + ", {\"from\": \"shop@example.com\", \"to\": \"bad address\", "
                    + "\"subject\": \"x\", \"text\": \"y\"}, " + RECEIPT.replace("ann@", "bob@") + "]}";

            HttpResponse<String> response = call(http, post("/v1/messages:batch", batch));

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode results = json(response).get("results");
            assertThat(results).hasSize(3);
            assertThat(results.get(0).get("status").asInt()).isEqualTo(202);
            assertThat(results.get(1).get("status").asInt()).isEqualTo(400);
            assertThat(results.get(1).get("field").asText()).isEqualTo("messages[1].to[0]");
            assertThat(results.get(2).get("status").asInt()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).until(() -> smtp.getReceivedMessages().length == 2);
        }
    }

    @Nested
    class Refusals {

        private SendApiFixture api;
        private String key;

        @BeforeEach
        void start() {
            mongo.dropAll();
            api = SendApiFixture.withoutDispatcher(mongo.connection());
            key = api.createKey(0, "example.com");
        }

        @AfterEach
        void stop() {
            api.close();
        }

        private HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(api.baseUri().resolve(path)).header("Authorization", "Bearer " + key);
        }

        private HttpResponse<String> post(String body) {
            return call(http, request("/v1/messages").POST(HttpRequest.BodyPublishers.ofString(body)));
        }

        @Test
        void aMissingKeyIs401() {
            assertError(call(http, HttpRequest.newBuilder(api.baseUri().resolve("/v1/messages"))
                    .POST(HttpRequest.BodyPublishers.ofString(RECEIPT))), 401, "Authorization");
            assertError(call(http, HttpRequest.newBuilder(api.baseUri().resolve("/v1/messages"))
                    .header("Authorization", "Bearer mc_unknown").POST(HttpRequest.BodyPublishers.ofString(RECEIPT))),
                    401, "Authorization");
        }

        @Test
        void aRevokedKeyIs401() {
            assertThat(post(RECEIPT).statusCode()).isEqualTo(202);
            String id = api.keys().all().getFirst().id();
            api.keys().revoke(id, Clock.systemUTC().instant());

            assertError(post(RECEIPT), 401, "Authorization");
        }

        @Test
        void aSenderOutsideTheKeysDomainsIs403() {
            assertError(post(RECEIPT.replace("shop@example.com", "shop@example.net")), 403, "from");
        }

        @Test
        void overTheKeysRateIs429WithRetryAfter() {
            key = api.createKey(1, "example.com");
            assertThat(post(RECEIPT).statusCode()).isEqualTo(202);

            HttpResponse<String> refused = post(RECEIPT);

            assertError(refused, 429, null);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        }

        @Test
        void aHugeBodyIs413() {
            String huge = RECEIPT.replace("Thanks for your order.", "x".repeat(2 * 1024 * 1024));
            assertError(post(huge), 413, null);
        }

        @Test
        void malformedJsonIs400() {
            assertError(post("{\"from\": "), 400, null);
            assertError(post(RECEIPT + " trailing"), 400, null);
            assertError(post("[1, 2]"), 400, null);
            assertError(post(""), 400, null);
            assertError(post(RECEIPT.replace("\"subject\"", "\"subjekt\"")), 400, "subjekt");
            assertError(post(RECEIPT.replace("\"Your receipt\"", "42")), 400, "subject");
        }

        @Test
        void lineBreaksInHeadersOrAddressesAre400() {
            assertError(post(RECEIPT.replace("Your receipt", "Hi\\r\\nBcc: victim@example.org")), 400, "subject");
            assertError(post(RECEIPT.replace("ann@example.org", "ann@example.org\\r\\nRCPT TO:<x@example.org>")), 400, "to[0]");
            assertError(post(RECEIPT.replace("Shop <shop@example.com>", "Shop <shop@example.com>\\nBcc: x@example.org")), 400, "from");
            assertError(post(RECEIPT.replace("\"42\"", "\"42\\r\\nBcc: x@example.org\"")), 400, "headers.X-Order");
            assertError(post(RECEIPT.replace("X-Order", "Bcc")), 400, "headers.Bcc");
        }

        @Test
        void tenThousandRecipientsAre400() {
            StringBuilder to = new StringBuilder();
            for (int i = 0; i < 10_000; i++) {
                to.append(i == 0 ? "" : ",").append("\"r").append(i).append("@example.org\"");
            }
            assertError(post(RECEIPT.replace("[\"ann@example.org\"]", "[" + to + "]")), 400, "to");
            assertError(post(RECEIPT.replace("[\"ann@example.org\"]", "[" + to.substring(0, to.indexOf("\"r51@")) + "\"r51@example.org\"]")), 400, "to");
        }

        @Test
        void aQueuedMessageCanBeCancelledOnce() {
            String id = json(post(RECEIPT)).get("id").asText();

            HttpResponse<String> cancelled = call(http, request("/v1/messages/" + id).DELETE());
            assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
            assertThat(json(cancelled).get("status").asText()).isEqualTo("CANCELLED");

            assertError(call(http, request("/v1/messages/" + id).DELETE()), 409, "id");
            assertError(call(http, request("/v1/messages/nope").DELETE()), 404, "id");
            String otherKey = api.createKey(0, "example.com");
            assertError(call(http, HttpRequest.newBuilder(api.baseUri().resolve("/v1/messages/" + id))
                    .header("Authorization", "Bearer " + otherKey)), 404, "id");
        }

        @Test
        void unknownPathsAndTheOpenApiDocument() {
            assertError(call(http, request("/v1/nothing")), 404, null);
            HttpResponse<String> doc = call(http, HttpRequest.newBuilder(api.baseUri().resolve("/v1/openapi.yaml")));
            assertThat(doc.statusCode()).isEqualTo(200);
            assertThat(doc.body()).startsWith("openapi: 3.1.0").contains("/v1/messages:batch");
            // A YAML parser reads it (a client generator would), and every reference in it resolves.
            JsonNode openApi;
            try {
                openApi = new YAMLMapper().readTree(doc.body());
            } catch (IOException e) {
                throw new AssertionError("openapi.yaml is not valid YAML: " + e.getMessage(), e);
            }
            List<String> paths = new ArrayList<>();
            openApi.get("paths").fieldNames().forEachRemaining(paths::add);
            assertThat(paths).contains("/v1/messages", "/v1/messages:batch",
                    "/v1/messages/{id}");
            List<String> refs = openApi.findValuesAsText("$ref");
            assertThat(refs).isNotEmpty().allSatisfy(ref -> assertThat(openApi.at(ref.substring(1)).isMissingNode())
                    .as("%s resolves", ref).isFalse());
        }
    }
}
