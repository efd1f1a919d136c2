package io.mailcast.store;

import io.mailcast.delivery.UncertainCause;
import io.mailcast.message.DispatchTuning;
import io.mailcast.message.MessageDispatcher;
import io.mailcast.message.MessageStats;
import io.mailcast.message.MessageStatus;
import io.mailcast.message.StoredMessage;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.sender.SendResult;
import io.mailcast.sender.Sender;
import io.mailcast.testing.MongoFixture;
import io.mailcast.testing.SettableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Dispatchers on one store: a node that dies mid-send, a transient failure, a permanent one. */
class MessageDispatcherRecoveryTest {

    @RegisterExtension
    static final MongoFixture mongo = new MongoFixture();

    private static final DispatchTuning TUNING = new DispatchTuning(4, Duration.ofSeconds(30), 3, Duration.ofSeconds(10),
            Duration.ofMillis(50));

    private final SettableClock clock = new SettableClock();
    private MongoMessageStore store;

    @BeforeEach
    void emptyStore() {
        mongo.dropAll();
        store = new MongoMessageStore(mongo.connection());
    }

    @Test
    void aMessageInFlightOnADeadNodeIsReclaimedAfterTheLeaseAndMarkedUncertain() throws Exception {
        StoredMessage queued = MongoMessageStoreTest.aMessage("key-1", null, clock.instant());
        store.accept(queued);
        CountDownLatch sending = new CountDownLatch(1);
        Sender hangs = message -> {
            sending.countDown();
            new CountDownLatch(1).await(); // the node dies with the message on the wire
            throw new AssertionError("unreachable");
        };
        var dying = new MessageDispatcher(store, hangs, "node-a", TUNING, new MessageStats(), clock);
        Thread nodeA = Thread.ofVirtual().start(() -> {
            try {
                dying.dispatchNext();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(sending.await(5, TimeUnit.SECONDS)).isTrue();
        nodeA.interrupt(); // killed: nothing recorded

        var received = new CopyOnWriteArrayList<OutgoingMessage>();
        MessageStats stats = new MessageStats();
        var survivor = new MessageDispatcher(store, recording(received), "node-b", TUNING, stats, clock);
        assertThat(survivor.dispatchNext()).as("the lease still holds").isFalse();

        clock.advance(TUNING.lease().plusSeconds(1));
        assertThat(survivor.dispatchNext()).isTrue();

        StoredMessage done = store.find(queued.id(), "key-1").orElseThrow();
        assertThat(done.status()).isEqualTo(MessageStatus.SENT);
        assertThat(done.uncertain()).isEqualTo(UncertainCause.NODE_DIED);
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(received).hasSize(1);
        assertThat(stats.uncertain.sum()).isEqualTo(1);
        assertThat(stats.sent.sum()).isEqualTo(1);
    }

    @Test
    void aTransientFailureIsRetriedAfterTheBackOffOnlyForTheRecipientsStillMissing() throws Exception {
        StoredMessage queued = MongoMessageStoreTest.aMessage("key-1", null, clock.instant());
        var twoRecipients = new io.mailcast.message.Message(queued.message().from(),
                List.of("ann@example.org", "bob@example.org"), List.of(), null, "Hi", "text", null, null, null);
        store.accept(StoredMessage.queued(queued.id(), "key-1", null, twoRecipients, List.of(), clock.instant()));
        var received = new CopyOnWriteArrayList<OutgoingMessage>();
        Sender bobBusyOnce = new Sender() {
            private boolean refused;

            @Override
            public synchronized SendResult send(OutgoingMessage message) {
                if (message.to().startsWith("bob") && !refused) {
                    refused = true;
                    return SendResult.failed("451 4.7.1 try later", true, "relay-1");
                }
                received.add(message);
                return SendResult.sent("relay-1");
            }
        };
        var dispatcher = new MessageDispatcher(store, bobBusyOnce, "node-a", TUNING, new MessageStats(), clock);

        assertThat(dispatcher.dispatchNext()).isTrue();
        StoredMessage retry = store.find(queued.id(), "key-1").orElseThrow();
        assertThat(retry.status()).isEqualTo(MessageStatus.QUEUED);
        assertThat(retry.reply()).isEqualTo("bob@example.org: 451 4.7.1 try later");
        assertThat(dispatcher.dispatchNext()).as("back-off").isFalse();

        clock.advance(TUNING.retryBackoff());
        assertThat(dispatcher.dispatchNext()).isTrue();
        StoredMessage done = store.find(queued.id(), "key-1").orElseThrow();
        assertThat(done.status()).isEqualTo(MessageStatus.SENT);
        assertThat(done.uncertain()).isNull();
        assertThat(received).extracting(OutgoingMessage::to).containsExactly("ann@example.org", "bob@example.org");
    }

    @Test
    void aPermanentRefusalFailsTheMessageWithTheRelaysReply() throws Exception {
        StoredMessage queued = MongoMessageStoreTest.aMessage("key-1", null, clock.instant());
        store.accept(queued);
        Sender refuses = message -> SendResult.failed("550 5.1.1 no such user", false, "relay-1");
        var dispatcher = new MessageDispatcher(store, refuses, "node-a", TUNING, new MessageStats(), clock);

        assertThat(dispatcher.dispatchNext()).isTrue();

        StoredMessage failed = store.find(queued.id(), "key-1").orElseThrow();
        assertThat(failed.status()).isEqualTo(MessageStatus.FAILED);
        assertThat(failed.relay()).isEqualTo("relay-1");
        assertThat(failed.reply()).isEqualTo("ann@example.org: 550 5.1.1 no such user");
    }

    private static Sender recording(List<OutgoingMessage> received) {
        return message -> {
            received.add(message);
            return SendResult.sent("relay-1");
        };
    }
}
