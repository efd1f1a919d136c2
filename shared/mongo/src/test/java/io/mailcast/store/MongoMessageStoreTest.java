package io.mailcast.store;

import io.mailcast.delivery.UncertainCause;
import io.mailcast.message.Message;
import io.mailcast.message.MessageStatus;
import io.mailcast.message.MessageStore;
import io.mailcast.message.Settlement;
import io.mailcast.message.StoredMessage;
import io.mailcast.testing.MongoFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class MongoMessageStoreTest {

    @RegisterExtension
    static final MongoFixture mongo = new MongoFixture();

    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(60);

    private MongoMessageStore store;

    @BeforeEach
    void emptyStore() {
        mongo.dropAll();
        store = new MongoMessageStore(mongo.connection());
    }

    static StoredMessage aMessage(String apiKey, String idempotencyKey, Instant at) {
        var message = new Message("Shop <shop@example.com>", List.of("ann@example.org"), List.of(), null, "Receipt",
                "Thanks", null, Map.of("X-Order", "42"), List.of("receipt"));
        return StoredMessage.queued(UUID.randomUUID().toString(), apiKey, idempotencyKey, message, List.of(), at);
    }

    @Test
    void storesAndReadsBackAMessageOnlyForItsOwnKey() {
        StoredMessage queued = aMessage("key-1", null, NOW);
        assertThat(store.accept(queued).created()).isTrue();

        StoredMessage read = store.find(queued.id(), "key-1").orElseThrow();
        assertThat(read.message()).isEqualTo(queued.message());
        assertThat(read.status()).isEqualTo(MessageStatus.QUEUED);
        assertThat(store.find(queued.id(), "key-2")).isEmpty();
    }

    @Test
    void twentyConcurrentRetriesWithOneIdempotencyKeyStoreOneMessage() throws Exception {
        List<Callable<MessageStore.Accepted>> retries = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            retries.add(() -> store.accept(aMessage("key-1", "order-42", NOW)));
        }
        List<MessageStore.Accepted> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<MessageStore.Accepted> f : pool.invokeAll(retries)) {
                results.add(f.get());
            }
        }

        Set<String> ids = results.stream().map(a -> a.message().id()).collect(Collectors.toSet());
        assertThat(ids).hasSize(1);
        assertThat(results.stream().filter(MessageStore.Accepted::created)).hasSize(1);
        assertThat(mongo.connection().database().getCollection(Collections.MESSAGES).countDocuments()).isEqualTo(1);
    }

    @Test
    void theSameIdempotencyKeyIsNewForAnotherApiKeyAndAfterTwentyFourHours() {
        String first = store.accept(aMessage("key-1", "k", NOW)).message().id();

        assertThat(store.accept(aMessage("key-2", "k", NOW)).created()).isTrue();
        assertThat(store.accept(aMessage("key-1", "k", NOW.plus(Duration.ofHours(23)))).message().id()).isEqualTo(first);
        MessageStore.Accepted later = store.accept(aMessage("key-1", "k", NOW.plus(Duration.ofHours(25))));
        assertThat(later.created()).isTrue();
        assertThat(later.message().id()).isNotEqualTo(first);
    }

    @Test
    void aClaimIsExclusiveAndAnExpiredOneIsTakenOverAsUncertain() {
        StoredMessage queued = aMessage("key-1", null, NOW);
        store.accept(queued);

        MessageStore.Claim claim = store.claimNext("node-a", NOW, NOW.plus(LEASE)).orElseThrow();
        assertThat(claim.takenOver()).isFalse();
        assertThat(claim.message().attempts()).isEqualTo(1);
        assertThat(store.claimNext("node-b", NOW.plusSeconds(59), NOW.plusSeconds(59).plus(LEASE))).isEmpty();

        Instant later = NOW.plusSeconds(61);
        MessageStore.Claim takeover = store.claimNext("node-b", later, later.plus(LEASE)).orElseThrow();
        assertThat(takeover.takenOver()).isTrue();
        assertThat(takeover.message().uncertain()).isEqualTo(UncertainCause.NODE_DIED);
        assertThat(takeover.message().attempts()).isEqualTo(2);

        Settlement sent = new Settlement(MessageStatus.SENT, List.of("ann@example.org"), "relay-1", null,
                UncertainCause.NODE_DIED, null, later);
        assertThat(store.settle(claim.message(), sent)).as("the first owner's late word is fenced out").isFalse();
        assertThat(store.settle(takeover.message(), sent)).isTrue();
        assertThat(store.find(queued.id(), "key-1").orElseThrow().status()).isEqualTo(MessageStatus.SENT);
    }

    @Test
    void aRetryWaitsForItsBackOff() {
        StoredMessage queued = aMessage("key-1", null, NOW);
        store.accept(queued);
        MessageStore.Claim claim = store.claimNext("node-a", NOW, NOW.plus(LEASE)).orElseThrow();

        store.settle(claim.message(), new Settlement(MessageStatus.QUEUED, List.of(), "relay-1", "451 busy", null,
                NOW.plusSeconds(5), NOW));

        assertThat(store.claimNext("node-a", NOW.plusSeconds(4), NOW.plus(LEASE))).isEmpty();
        assertThat(store.claimNext("node-a", NOW.plusSeconds(5), NOW.plus(LEASE))).isPresent();
    }

    @Test
    void onlyAQueuedMessageCanBeCancelled() {
        StoredMessage queued = aMessage("key-1", null, NOW);
        StoredMessage other = aMessage("key-1", null, NOW.plusSeconds(1));
        store.accept(queued);
        store.accept(other);

        assertThat(store.cancel(queued.id(), "key-2", NOW)).isEmpty();
        assertThat(store.cancel(queued.id(), "key-1", NOW).orElseThrow().status()).isEqualTo(MessageStatus.CANCELLED);
        assertThat(store.countUnfinished()).isEqualTo(1);
        store.claimNext("node-a", NOW.plusSeconds(2), NOW.plus(LEASE)).orElseThrow();
        assertThat(store.cancel(other.id(), "key-1", NOW)).isEmpty();
    }
}
