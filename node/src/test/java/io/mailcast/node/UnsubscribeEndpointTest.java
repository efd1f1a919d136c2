package io.mailcast.node;

import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.delivery.Delivery;
import io.mailcast.delivery.Outcome;
import io.mailcast.lab.fixtures.MongoSubscriberWriter;
import io.mailcast.store.MongoDeliveryStore;
import io.mailcast.store.MongoSuppressionList;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.suppression.SignedUnsubscribeLinks;
import io.mailcast.suppression.Suppression;
import io.mailcast.suppression.SuppressionReason;
import io.mailcast.suppression.UnsubscribeSigner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The one-click unsubscribe endpoint over real HTTP on a running node: what a mailbox provider's POST, a person's
 * browser and a hostile client each get, and what lands on the suppression list.
 */
class UnsubscribeEndpointTest {

    private static final byte[] SECRET = "endpoint-test-secret-0123456789".getBytes(StandardCharsets.US_ASCII);

    private final NodeCluster cluster = new NodeCluster();
    private final HttpClient http = HttpClient.newHttpClient();
    private SignedUnsubscribeLinks links;
    private MongoSuppressionList suppressions;

    @BeforeEach
    void startNode() throws Exception {
        int port = freePort();
        links = new SignedUnsubscribeLinks("http://127.0.0.1:" + port, null, new UnsubscribeSigner(SECRET));
        cluster.startNode(port, links);
        suppressions = new MongoSuppressionList(cluster.mongo);
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    @Test
    void theOneClickPostSuppressesTheAddressAtOnce() throws Exception {
        cluster.campaigns().insertIfAbsent(NodeCluster.draft("spring-sale", 10));
        String url = links.forRecipient("spring-sale", "42", "ann@example.com").url();

        HttpResponse<String> response = post(url, "List-Unsubscribe=One-Click");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("ann@example.com").contains("no more e-mails");
        List<Suppression> entries = entries();
        assertThat(entries).hasSize(1);
        assertThat(entries.getFirst()).satisfies(s -> {
            assertThat(s.address()).isEqualTo("ann@example.com");
            assertThat(s.reason()).isEqualTo(SuppressionReason.UNSUBSCRIBED);
            assertThat(s.sourceCampaign()).isEqualTo("spring-sale");
            assertThat(s.evidence()).contains("subscriber 42");
        });
        // A provider may send it twice: still one entry, still a success.
        assertThat(post(url, "List-Unsubscribe=One-Click").statusCode()).isEqualTo(200);
        assertThat(entries()).hasSize(1);
        assertThat(cluster.campaigns().reactions("spring-sale").unsubscribed()).as("counted once").isEqualTo(1);
        assertThat(get(url.substring(0, url.indexOf("/unsubscribe")) + "/metrics").body())
                .contains("mailcast_unsubscribes_total 1.0");
    }

    @Test
    void aGetShowsTheConfirmationPageAndUnsubscribesNobody() throws Exception {
        HttpResponse<String> page = get(links.forRecipient("spring-sale", "42", "ann@example.com").url());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(page.body()).contains("ann@example.com").contains("<form method=\"post\">")
                .contains("name=\"List-Unsubscribe\" value=\"One-Click\"").contains("<button");
        assertThat(entries()).isEmpty();
    }

    @Test
    void forgedTruncatedOversizedAndMissingTokensGetA400PageAndChangeNothing() throws Exception {
        String url = links.forRecipient("spring-sale", "42", "ann@example.com").url();
        String token = url.substring(url.indexOf("?t=") + 3);
        String base = url.substring(0, url.indexOf('?'));
        char last = token.charAt(token.length() - 1);
        String foreign = new SignedUnsubscribeLinks("https://other.example", null,
                new UnsubscribeSigner("some-other-secret-0123456789".getBytes(StandardCharsets.US_ASCII)))
                .forRecipient("spring-sale", "42", "bob@example.com").url();
        List<String> bad = List.of(
                base + "?t=" + token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A'),
                base + "?t=" + token.substring(0, token.length() / 2),
                base + "?t=" + "A".repeat(5_000),
                base + "?t=%00%ff%3Cscript%3E",
                base + "?t=" + foreign.substring(foreign.indexOf("?t=") + 3),
                base,
                base + "?token=" + token);

        for (String u : bad) {
            for (HttpResponse<String> r : List.of(get(u), post(u, "List-Unsubscribe=One-Click"))) {
                assertThat(r.statusCode()).as(u).isEqualTo(400);
                assertThat(r.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
                assertThat(r.body()).contains("not valid").doesNotContain("Exception").doesNotContain("at io.");
            }
        }
        assertThat(entries()).isEmpty();
    }

    @Test
    void largeBodiesAreRefusedWith413() throws Exception {
        String url = links.forRecipient("spring-sale", "42", "ann@example.com").url();
        String big = "List-Unsubscribe=One-Click&" + "x".repeat(UnsubscribeHandler.MAX_BODY_BYTES * 8);

        assertThat(post(url, big).statusCode()).isEqualTo(413);
        // Without a Content-Length (chunked): the handler reads no further than the limit.
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.US_ASCII))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(chunked.body()).contains("too large");
        assertThat(entries()).isEmpty();
    }

    @Test
    void onlyAOneClickPostOnTheEndpointItselfUnsubscribes() throws Exception {
        String url = links.forRecipient("spring-sale", "42", "ann@example.com").url();

        assertThat(post(url, "").statusCode()).isEqualTo(400);
        assertThat(post(url, "List-Unsubscribe=No").statusCode()).isEqualTo(400);
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(url))
                .PUT(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).contains("GET, POST");
        assertThat(post(url.replace("/unsubscribe?", "/unsubscribe/more?"), "List-Unsubscribe=One-Click").statusCode())
                .isEqualTo(404);
        assertThat(entries()).isEmpty();
    }

    @Test
    void theNextCampaignRecordsAnUnsubscribedRecipientAsSuppressed() throws Exception {
        List<Subscriber> people = LongStream.rangeClosed(1, 50)
                .mapToObj(id -> new Subscriber(id, "Reader" + id + "@Example.org", "Reader " + id, true, Map.of())).toList();
        new MongoSubscriberWriter(cluster.mongo.database()).insert(people);
        // Subscriber 7's link, as the engine makes it: the key is the id as text, the address normalised.
        String url = links.forRecipient("last-week", "7", "Reader7@example.org").url();
        assertThat(post(url, "List-Unsubscribe=One-Click").statusCode()).isEqualTo(200);

        Campaign campaign = cluster.submit("this-week", 10);
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.state(campaign.id()) == CampaignState.COMPLETED);

        Map<SubscriberId, Delivery> recorded = new MongoDeliveryStore(cluster.mongo).recorded(campaign.id(),
                LongStream.rangeClosed(1, 50).mapToObj(SubscriberId::of).toList());
        assertThat(recorded.get(SubscriberId.of(7)).outcome()).isEqualTo(Outcome.SUPPRESSED);
        assertThat(recorded.values()).filteredOn(d -> d.outcome() == Outcome.SENT).hasSize(49);
    }

    private List<Suppression> entries() {
        List<Suppression> all = new ArrayList<>();
        suppressions.forEach(all::add);
        return all;
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
