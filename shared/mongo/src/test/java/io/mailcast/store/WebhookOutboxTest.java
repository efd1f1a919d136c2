package io.mailcast.store;

import io.mailcast.apikey.ApiKey;
import io.mailcast.apikey.Webhook;
import io.mailcast.bounce.BounceKind;
import io.mailcast.bounce.BounceReport;
import io.mailcast.bounce.BounceToken;
import io.mailcast.message.MessageStatus;
import io.mailcast.message.Settlement;
import io.mailcast.message.StoredMessage;
import io.mailcast.testing.MongoFixture;
import io.mailcast.testing.SettableClock;
import io.mailcast.webhook.PendingWebhook;
import io.mailcast.webhook.WebhookDispatcher;
import io.mailcast.webhook.WebhookException;
import io.mailcast.webhook.WebhookStats;
import io.mailcast.webhook.WebhookTuning;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The webhook outbox inside {@code messages}, and the dispatcher over it, driven by hand on a settable clock. */
class WebhookOutboxTest {

    @RegisterExtension
    static final MongoFixture mongo = new MongoFixture();

    private static final String URL = "https://shop.example.com/hooks/mailcast";
    private static final Webhook HOOK = new Webhook(URL, "a-secret-of-24-characters");
    private static final WebhookTuning TUNING = new WebhookTuning(4, Duration.ofSeconds(30), 3, Duration.ofSeconds(10),
            Duration.ofMinutes(1), Duration.ofMillis(50));

    private final SettableClock clock = new SettableClock();
    private MongoMessageStore messages;
    private MongoWebhookOutbox outbox;

    @BeforeEach
    void emptyStore() {
        mongo.dropAll();
        messages = new MongoMessageStore(mongo.connection());
        outbox = new MongoWebhookOutbox(mongo.connection());
    }

    private StoredMessage settled(String webhookUrl, MessageStatus status) {
        StoredMessage queued = MongoMessageStoreTest.aMessage("key-1", null, clock.instant()).withWebhook(webhookUrl);
        messages.accept(queued);
        StoredMessage claimed = messages.claim(queued.id(), "node-a", clock.instant(), clock.instant().plusSeconds(30))
                .orElseThrow().message();
        assertThat(messages.settle(claimed, new Settlement(status, status == MessageStatus.SENT
                ? List.of("ann@example.org") : List.of(), "relay-1", null, null, clock.instant(), clock.instant()))).isTrue();
        return claimed;
    }

    @Test
    void aSettledMessageIsReportedOnceAndOnlyWithAWebhook() {
        StoredMessage reported = settled(URL, MessageStatus.SENT);
        settled(null, MessageStatus.SENT);

        PendingWebhook claimed = outbox.claimNext("node-a", clock.instant(), clock.instant().plusSeconds(30)).orElseThrow();
        assertThat(claimed.message().id()).isEqualTo(reported.id());
        assertThat(claimed.message().status()).isEqualTo(MessageStatus.SENT);
        assertThat(claimed.attempt()).isEqualTo(1);
        assertThat(outbox.claimNext("node-b", clock.instant(), clock.instant().plusSeconds(30)))
                .as("claimed already; the other message has no webhook").isEmpty();
        assertThat(outbox.delivered(claimed, clock.instant())).isTrue();
        clock.advance(Duration.ofMinutes(5));
        assertThat(outbox.claimNext("node-b", clock.instant(), clock.instant().plusSeconds(30))).isEmpty();
    }

    @Test
    void aMessageStillQueuedForARetryIsNotReported() {
        StoredMessage queued = MongoMessageStoreTest.aMessage("key-1", null, clock.instant()).withWebhook(URL);
        messages.accept(queued);
        StoredMessage claimed = messages.claim(queued.id(), "node-a", clock.instant(), clock.instant().plusSeconds(30))
                .orElseThrow().message();
        messages.settle(claimed, new Settlement(MessageStatus.QUEUED, List.of(), "relay-1", "451 later", null,
                clock.instant().plusSeconds(5), clock.instant()));
        assertThat(outbox.claimNext("node-a", clock.instant(), clock.instant().plusSeconds(30))).isEmpty();
    }

    @Test
    void aClaimOfANodeThatDiedIsTakenOverAfterItsLeaseAndItsLateWordDoesNotCount() {
        settled(URL, MessageStatus.FAILED);
        PendingWebhook dead = outbox.claimNext("node-a", clock.instant(), clock.instant().plusSeconds(30)).orElseThrow();
        assertThat(outbox.claimNext("node-b", clock.instant(), clock.instant().plusSeconds(30))).isEmpty();

        clock.advance(Duration.ofSeconds(31));
        PendingWebhook taken = outbox.claimNext("node-b", clock.instant(), clock.instant().plusSeconds(30)).orElseThrow();
        assertThat(taken.attempt()).isEqualTo(2);
        assertThat(outbox.delivered(dead, clock.instant())).as("fenced: node-a lost its claim").isFalse();
        assertThat(outbox.delivered(taken, clock.instant())).isTrue();
    }

    @Test
    void aBounceAfterTheReportQueuesANewOneEvenWhileTheFirstIsBeingPosted() {
        StoredMessage sent = settled(URL, MessageStatus.SENT);
        PendingWebhook first = outbox.claimNext("node-a", clock.instant(), clock.instant().plusSeconds(30)).orElseThrow();
        assertThat(first.message().bounces()).isEmpty();

        var bounces = new MongoBounceStore(mongo.connection());
        bounces.record(new BounceToken(StoredMessage.TRACKING_PREFIX + sent.id(), "0"),
                new BounceReport(BounceKind.HARD, "5.1.1", "user unknown"), clock.instant());
        assertThat(outbox.delivered(first, clock.instant())).as("a newer report is pending").isFalse();

        PendingWebhook second = outbox.claimNext("node-a", clock.instant(), clock.instant().plusSeconds(30)).orElseThrow();
        assertThat(second.message().bounces()).extracting(b -> b.kind()).containsExactly("HARD");
        assertThat(outbox.delivered(second, clock.instant())).isTrue();
    }

    @Test
    void theDispatcherRetriesWithBackOffThenGivesUpAndSignsWithTheKeysSecret() throws Exception {
        settled(URL, MessageStatus.SENT);
        List<String> posts = new CopyOnWriteArrayList<>();
        var stats = new WebhookStats();
        ApiKey key = new ApiKey("key-1", "shop", "hash", List.of("example.com"), 0, clock.instant(), null, HOOK);
        var dispatcher = new WebhookDispatcher(outbox, (report, url, secret) -> {
            posts.add(url + " " + secret);
            throw new WebhookException("the receiver answered HTTP 503");
        }, id -> id.equals("key-1") ? Optional.of(key) : Optional.empty(), "node-a", TUNING, stats, clock, d -> { });

        List<Boolean> tries = new ArrayList<>();
        tries.add(dispatcher.deliverNext());
        tries.add(dispatcher.deliverNext()); // back-off: 10 s
        clock.advance(Duration.ofSeconds(10));
        tries.add(dispatcher.deliverNext());
        clock.advance(Duration.ofSeconds(19));
        tries.add(dispatcher.deliverNext()); // back-off: 20 s
        clock.advance(Duration.ofSeconds(1));
        tries.add(dispatcher.deliverNext()); // the third and last attempt
        clock.advance(Duration.ofHours(1));
        tries.add(dispatcher.deliverNext());

        assertThat(tries).containsExactly(true, false, true, false, true, false);
        assertThat(posts).hasSize(3).allMatch(p -> p.equals(URL + " a-secret-of-24-characters"));
        assertThat(stats.failedAttempts.sum()).isEqualTo(3);
        assertThat(stats.gaveUp.sum()).isEqualTo(1);
        assertThat(stats.delivered.sum()).isZero();
    }

    @Test
    void aReportOfARevokedKeyIsGivenUpWithoutAPost() throws Exception {
        settled(URL, MessageStatus.SENT);
        ApiKey revoked = new ApiKey("key-1", "shop", "hash", List.of("example.com"), 0, clock.instant(),
                clock.instant(), HOOK);
        var stats = new WebhookStats();
        var dispatcher = new WebhookDispatcher(outbox, (report, url, secret) -> {
            throw new AssertionError("posted for a revoked key");
        }, id -> Optional.of(revoked), "node-a", TUNING, stats, clock, d -> { });
        assertThat(dispatcher.deliverNext()).isTrue();
        clock.advance(Duration.ofHours(1));
        assertThat(dispatcher.deliverNext()).isFalse();
        assertThat(stats.gaveUp.sum()).isEqualTo(1);
    }
}
