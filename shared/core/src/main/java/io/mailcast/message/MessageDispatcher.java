package io.mailcast.message;

import io.mailcast.sender.Sender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Sends the send API's messages from one node. MongoDB is the truth and the queue: a message is claimed with one
 * compare-and-set (QUEUED to PROCESSING, owner, lease, attempt + 1), sent, and settled fenced by owner and attempt.
 * A node that dies leaves its claims to expire; the next claim of such a message marks it uncertain.
 *
 * <p>A message accepted on this node is claimed and sent at once ({@link #accepted}); otherwise one poller looks for
 * due messages, right away while it finds some, then backing off to {@link DispatchTuning#maxIdlePoll()}.
 */
public final class MessageDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MessageDispatcher.class);
    private static final Duration MIN_IDLE_POLL = Duration.ofMillis(10);

    private final MessageStore store;
    private final String nodeId;
    private final DispatchTuning tuning;
    private final MessageStats stats;
    private final Clock clock;
    private final SendAttempt attempt;
    private final Semaphore permits;
    private final Semaphore wakeUps = new Semaphore(0);
    private final Map<String, StoredMessage> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService leaseKeeper;
    private final ThreadFactory senders = Thread.ofVirtual().name("message-send-", 0).factory();
    private volatile boolean running;
    private volatile boolean storeFailing;
    private Thread poller;

    /** @param sender the node's sender, through its priority lane when campaigns share it */
    public MessageDispatcher(MessageStore store, Sender sender, String nodeId, DispatchTuning tuning, MessageStats stats,
                             Clock clock) {
        this.store = store;
        this.nodeId = nodeId;
        this.tuning = tuning;
        this.stats = stats;
        this.clock = clock;
        this.attempt = new SendAttempt(sender, tuning, clock);
        this.permits = new Semaphore(tuning.concurrency());
        this.leaseKeeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("message-lease-keeper").daemon().factory());
    }

    public void start() {
        running = true;
        long renew = tuning.renewEvery().toMillis();
        leaseKeeper.scheduleWithFixedDelay(this::renewLeases, renew, renew, TimeUnit.MILLISECONDS);
        poller = Thread.ofVirtual().name("message-poller").start(this::pollLoop);
        log.info("node={} message dispatcher started: concurrency {}, lease {} s, {} attempts", nodeId,
                tuning.concurrency(), tuning.lease().toSeconds(), tuning.maxAttempts());
    }

    /** A message was just stored on this node: send it now rather than at the next poll. */
    public void accepted(StoredMessage message) {
        if (!running || !permits.tryAcquire()) {
            wakeUp();
            return;
        }
        senders.newThread(() -> {
            try {
                Instant now = clock.instant();
                Optional<MessageStore.Claim> claimed = store.claim(message.id(), nodeId, now, now.plus(tuning.lease()));
                if (claimed.isPresent()) {
                    process(claimed.get());
                }
                keepSending();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.debug("node={} could not send message {} at once, the poller will", nodeId, message.id(), e);
            } finally {
                permits.release();
            }
        }).start();
    }

    /** Look for work now, for example after a message was accepted elsewhere or a retry fell due. */
    public void wakeUp() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    /** Claims one due message and sends it on the calling thread; false when none was due. Tests drive it by hand. */
    public boolean dispatchNext() throws InterruptedException {
        Instant now = clock.instant();
        Optional<MessageStore.Claim> claimed = store.claimNext(nodeId, now, now.plus(tuning.lease()));
        if (claimed.isEmpty()) {
            return false;
        }
        process(claimed.get());
        return true;
    }

    private void process(MessageStore.Claim claim) throws InterruptedException {
        StoredMessage claimed = claim.message();
        if (claim.takenOver()) {
            stats.uncertain.increment();
            log.warn("node={} message={} taken over after its node's lease ran out; re-sent as uncertain", nodeId,
                    claimed.id());
        }
        held.put(claimed.id(), claimed);
        try {
            Settlement settlement = attempt.run(claimed);
            record(claimed, settlement);
        } finally {
            held.remove(claimed.id());
        }
    }

    /** Writes the attempt's end; retried while the store is down, for as long as the lease protects the claim. */
    private void record(StoredMessage claimed, Settlement settlement) throws InterruptedException {
        long deadline = System.nanoTime() + tuning.lease().toNanos();
        long backoff = 250;
        while (true) {
            try {
                if (!store.settle(claimed, settlement)) {
                    log.warn("node={} message={} was taken over by another node while being sent; its result counts",
                            nodeId, claimed.id());
                    return;
                }
                count(claimed, settlement);
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    log.warn("node={} message={} result not written ({}); its lease will run out and it is re-sent "
                            + "as uncertain", nodeId, claimed.id(), e.toString());
                    return;
                }
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    private void count(StoredMessage claimed, Settlement settlement) {
        switch (settlement.next()) {
            case SENT -> {
                stats.sent.increment();
                stats.byKey.get(claimed.apiKeyId()).sent.increment();
            }
            case FAILED -> {
                stats.failed.increment();
                stats.byKey.get(claimed.apiKeyId()).failed.increment();
            }
            case QUEUED -> stats.retried.increment();
            default -> throw new IllegalStateException("unexpected " + settlement.next());
        }
        if (settlement.uncertain() != null && claimed.uncertain() == null) {
            stats.uncertain.increment();
        }
        log.debug("node={} message={} attempt {} ended {}", nodeId, claimed.id(), claimed.attempts(), settlement.next());
    }

    private void pollLoop() {
        long idleMillis = MIN_IDLE_POLL.toMillis();
        while (running) {
            try {
                permits.acquire();
                if (pollOnce()) {
                    idleMillis = MIN_IDLE_POLL.toMillis();
                    continue;
                }
                if (wakeUps.tryAcquire(idleMillis, TimeUnit.MILLISECONDS)) {
                    idleMillis = MIN_IDLE_POLL.toMillis();
                } else {
                    idleMillis = Math.min(idleMillis * 2, tuning.maxIdlePoll().toMillis());
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Claims one message and sends it on its own thread, which returns the permit; false when none was due. */
    private boolean pollOnce() {
        Optional<MessageStore.Claim> claimed;
        try {
            Instant now = clock.instant();
            claimed = store.claimNext(nodeId, now, now.plus(tuning.lease()));
            if (storeFailing) {
                storeFailing = false;
                log.info("node={} message dispatcher reaches the store again", nodeId);
            }
        } catch (RuntimeException e) {
            permits.release();
            if (!storeFailing) {
                storeFailing = true;
                log.warn("node={} message dispatcher cannot reach the store, retrying: {}", nodeId, e.toString());
            }
            return false;
        }
        if (claimed.isEmpty()) {
            permits.release();
            return false;
        }
        senders.newThread(() -> {
            try {
                process(claimed.get());
                keepSending();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("node={} message={} send failed unexpectedly; its lease will run out and it is retried: {}",
                        nodeId, claimed.get().message().id(), e.toString());
            } finally {
                permits.release();
            }
        }).start();
        return true;
    }

    /**
     * After a send, the same thread claims the next due message while there is one, before it gives its permit back.
     * Under steady load every permit is busy, so a lone poller would rarely get one: messages accepted beyond the
     * concurrency would wait until the load stops. This way the queue drains at the pace of all the senders.
     */
    private void keepSending() throws InterruptedException {
        try {
            while (running && dispatchNext()) {
                // the loop's condition sends
            }
        } catch (RuntimeException e) {
            log.debug("node={} could not claim the next message; the poller will", nodeId, e);
        }
    }

    private void renewLeases() {
        for (StoredMessage claimed : held.values()) {
            try {
                if (!store.renew(claimed, clock.instant().plus(tuning.lease()))) {
                    log.debug("node={} message={} lease lost", nodeId, claimed.id());
                }
            } catch (RuntimeException e) {
                log.debug("node={} message={} lease renewal failed: {}", nodeId, claimed.id(), e.toString());
            }
        }
    }

    /** Messages being sent by this node now. */
    public int inFlight() {
        return held.size();
    }

    /**
     * Stops claiming and waits up to {@code grace} for the sends under way to be recorded; true when they all were.
     * A send still under way after that is re-sent by another node when its lease runs out, counted as uncertain.
     */
    public boolean stop(Duration grace) throws InterruptedException {
        running = false;
        if (poller != null) {
            poller.interrupt();
        }
        boolean clean = permits.tryAcquire(tuning.concurrency(), grace.toMillis(), TimeUnit.MILLISECONDS);
        if (clean) {
            permits.release(tuning.concurrency());
        } else {
            log.warn("node={} stopped with {} messages still being sent; they are re-sent as uncertain after their "
                    + "lease", nodeId, held.size());
        }
        leaseKeeper.shutdownNow();
        return clean;
    }

    @Override
    public void close() {
        running = false;
        if (poller != null) {
            poller.interrupt();
        }
        leaseKeeper.shutdownNow();
    }
}
