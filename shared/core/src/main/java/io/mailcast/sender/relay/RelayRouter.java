package io.mailcast.sender.relay;

import io.mailcast.delivery.Outcome;
import io.mailcast.sender.HandOver;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.sender.RelayFigures;
import io.mailcast.sender.SendResult;
import io.mailcast.sender.SendWithheldException;
import io.mailcast.sender.Sender;
import io.mailcast.time.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Sends each message through one of several relays, chosen by smooth weighted round robin among those not marked down
 * and with quota left, at each relay's (possibly throttled) rate.
 *
 * <p>When a relay cannot be reached or refuses our login, or fails {@link RoutingPolicy#failuresBeforeDown()} times in
 * a row on this node, it is marked down for the cool-down (cluster-wide when {@link RelayHealth} is) and the same
 * message goes to the next relay at once, so a dead relay costs no message and no retry attempt. A throttling reply
 * (421, 451, 452, 454) halves the relay's rate and also hands the message to the next relay. Only when every relay
 * has been tried does the caller get the last failure, to retry later with back-off. A permanent (5xx) rejection is the
 * recipient's problem, not the relay's: it is returned as it is and counts as a healthy answer.
 * A try that a relay may have accepted (its connection lost after the end of data) is carried in the result's
 * {@link SendResult#attemptsInDoubt()} through any failover, so the caller counts the possible second copy.
 *
 * <p>When every relay is marked down, a send waits for the first one to come back, up to
 * {@link RoutingPolicy#maxDownWait()}, instead of failing: an outage of all relays delays the campaign, and the
 * recipients' few attempts (and the failure-rate auto-pause) are kept for failures that are theirs.
 *
 * <p>When every relay that is up has used its hourly or daily quota (counted for the whole cluster), a send waits
 * for quota instead, looking again every few seconds and at the latest when the used-up window ends, however long
 * that is: a quota is a schedule, not a failure. Closing the router ends such waits with an
 * {@link InterruptedException}, so the message counts as never sent.
 */
public final class RelayRouter implements Sender {

    private static final Logger log = LoggerFactory.getLogger(RelayRouter.class);
    private static final Set<Integer> THROTTLE_CODES = Set.of(421, 451, 452, 454);
    /**
     * How often a send waiting for a relay to come back, or for quota, looks again: a mark-down may be lifted early,
     * and a stopping node may give quota back.
     */
    private static final Duration WAIT_POLL = Duration.ofSeconds(5);
    /** The shortest wait for quota, so a window that has just ended is not polled in a spin. */
    private static final Duration MIN_QUOTA_WAIT = Duration.ofMillis(100);

    private enum Verdict { ANSWERED, THROTTLED, UNREACHABLE, TRANSIENT }

    private static final class Tally {
        final LongAdder sent = new LongAdder();
        final LongAdder failed = new LongAdder();
        /** Up-to-down transitions this node caused; the sends that failed along with the first are not counted here. */
        final LongAdder markedDown = new LongAdder();
        /** Mark-downs of the relay while it was already down: logged as one count with the next state change. */
        final AtomicLong repeats = new AtomicLong();
        /** This node took the relay down and has not picked it since: its next pick is the "back" state change. */
        final AtomicBoolean down = new AtomicBoolean();
    }

    private final Map<String, Sender> senders = new LinkedHashMap<>();
    private final Map<String, AtomicInteger> consecutiveFailures = new LinkedHashMap<>();
    private final Map<String, Tally> tallies = new LinkedHashMap<>();
    private final WeightedRoundRobin order;
    private final RelayHealth health;
    private final RateLimiter limiter;
    private final RoutingPolicy policy;
    private final Clock clock;
    private final Sleeper sleeper;
    // Logs "every relay is down" once per outage instead of once per waiting message.
    private final AtomicBoolean allDownLogged = new AtomicBoolean();
    // Likewise "out of quota", and its end.
    private final AtomicBoolean quotaWaitLogged = new AtomicBoolean();
    // The renewal the last wait warning named: a send that looked at the ledger just before it renewed does not warn again.
    private final AtomicReference<Instant> warnedRenewal = new AtomicReference<>();
    private volatile boolean closed;
    private volatile boolean stopWaiting;
    /** Threads napping in a wait; guarded by itself, so an interrupt from stopWaiting lands only inside a nap. */
    private final Set<Thread> napping = new HashSet<>();

    /**
     * @param senderFactory one sender per relay (tests wrap or replace them); the router closes them
     * @param health        closed by the router
     * @param limiter       closed by the router
     */
    public RelayRouter(RelaySet relays, Function<RelayConfig, Sender> senderFactory, RelayHealth health,
                       RateLimiter limiter, Clock clock) {
        this(relays, senderFactory, health, limiter, clock, Sleeper.SYSTEM);
    }

    /** As above, with the waits while every relay is down going through {@code sleeper} (tests move a clock). */
    public RelayRouter(RelaySet relays, Function<RelayConfig, Sender> senderFactory, RelayHealth health,
                       RateLimiter limiter, Clock clock, Sleeper sleeper) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.health = Objects.requireNonNull(health, "health");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policy = relays.policy();
        this.order = new WeightedRoundRobin(relays.relays());
        for (RelayConfig relay : relays.relays()) {
            senders.put(relay.name(), Objects.requireNonNull(senderFactory.apply(relay), "sender for " + relay.name()));
            consecutiveFailures.put(relay.name(), new AtomicInteger());
            tallies.put(relay.name(), new Tally());
        }
    }

    /** A router with each relay's own sender (SMTP or simulated). */
    public static RelayRouter create(RelaySet relays, RelayHealth health, RateLimiter limiter, Clock clock) {
        return new RelayRouter(relays, relay -> relay.endpoint().create(relay.name(), clock), health, limiter, clock);
    }

    /** The kinds of its relays' senders, {@code smtp} or {@code simulated}, or both joined by '+' when mixed. */
    @Override
    public String kind() {
        return senders.values().stream().map(Sender::kind).distinct().sorted().collect(Collectors.joining("+"));
    }

    @Override
    public SendResult send(OutgoingMessage message) throws InterruptedException {
        return send(message, HandOver.NONE);
    }

    /** Waits for quota and relays happen here, before {@code handOver} is asked: the relay's sender asks it. */
    @Override
    public SendResult send(OutgoingMessage message, HandOver handOver) throws InterruptedException {
        Set<String> tried = new HashSet<>();
        SendResult last = null;
        // Tries on relays this send moved on from that the relay may have accepted: the caller must count them.
        int attemptsInDoubt = 0;
        Instant waitUntil = null;
        while (true) {
            Instant now = clock.instant();
            String relay = order.pick(name -> !tried.contains(name) && !health.isDown(name, now)
                    && limiter.hasQuota(name, now));
            if (relay == null) {
                if (allDown(now)) {
                    waitUntil = waitUntil != null ? waitUntil : now.plus(policy.maxDownWait());
                    if (now.isBefore(waitUntil)) {
                        awaitARelay(now, waitUntil);
                        tried.clear();
                        continue;
                    }
                } else if (outOfQuota(now)) {
                    awaitQuota(now);
                    tried.clear();
                    continue;
                } else if (untriedAvailable(tried, now)) {
                    continue; // another send refilled a relay's quota since the pick
                }
                return (last != null ? last : SendResult.failed(noRelayReason(now), true, null))
                        .withAttemptsInDoubt(attemptsInDoubt);
            }
            if (allDownLogged.get()) {
                allDownLogged.set(false); // written only at the end of an outage, not on every send
            }
            tried.add(relay);
            backInRotation(relay);
            RateLimiter.Slot slot = limiter.acquire(relay, health.rateFactor(relay, now), message.isUrgent(),
                    now.plus(policy.maxRateWait()));
            if (slot == RateLimiter.Slot.NO_QUOTA) {
                // No failure of the message: the next pick skips the relay until its quota is looked at again.
                tried.remove(relay);
                continue;
            }
            if (slot == RateLimiter.Slot.TOO_LATE) {
                last = SendResult.failed("relay " + relay + " had no free send slot within "
                        + policy.maxRateWait().toSeconds() + " s (rate limit)", true, relay);
                continue;
            }
            if (quotaWaitLogged.get() && quotaWaitLogged.compareAndSet(true, false)) {
                // After the slot, not at the pick: a look at the ledger that finds it still used up is no resumption.
                log.info("relay {} has quota again; sends resume", relay);
            }
            SendResult sent = senders.get(relay).send(message, handOver);
            SendResult result = sent.withAttemptsInDoubt(attemptsInDoubt + sent.attemptsInDoubt());
            (result.isSent() ? tallies.get(relay).sent : tallies.get(relay).failed).increment();
            switch (verdict(result)) {
                case ANSWERED -> {
                    if (result.outcome() != Outcome.INVALID) {
                        consecutiveFailures.get(relay).set(0);
                    }
                    return result;
                }
                case THROTTLED -> throttled(relay, result.reason());
                case UNREACHABLE -> markDown(relay, result.reason());
                case TRANSIENT -> {
                    if (consecutiveFailures.get(relay).incrementAndGet() < policy.failuresBeforeDown()) {
                        return result;
                    }
                    markDown(relay, policy.failuresBeforeDown() + " failures in a row, the last: " + result.reason());
                }
            }
            log.debug("campaign {} subscriber {}: relay {} failed ({}), trying the next relay", message.campaignId(),
                    message.subscriberId(), relay, result.reason());
            attemptsInDoubt = result.attemptsInDoubt();
            last = result;
        }
    }

    private boolean allDown(Instant now) {
        return senders.keySet().stream().allMatch(name -> health.isDown(name, now));
    }

    private void awaitARelay(Instant now, Instant waitUntil) throws InterruptedException {
        if (allDownLogged.compareAndSet(false, true)) {
            log.warn("every relay is marked down; sends wait for the first to come back (at most {} s each)",
                    policy.maxDownWait().toSeconds());
        }
        Duration left = Duration.between(now, waitUntil);
        nap(left.compareTo(WAIT_POLL) < 0 ? left : WAIT_POLL, "a relay to come back");
    }

    /** Whether no relay can take a send because each that is up has used its quota (and at least one is up). */
    private boolean outOfQuota(Instant now) {
        return senders.keySet().stream().allMatch(name -> health.isDown(name, now) || !limiter.hasQuota(name, now));
    }

    private boolean untriedAvailable(Set<String> tried, Instant now) {
        return senders.keySet().stream().anyMatch(name -> !health.isDown(name, now) && limiter.hasQuota(name, now)
                && !tried.contains(name));
    }

    /** Sleeps until the earliest quota renewal or the next look, whichever comes first. */
    private void awaitQuota(Instant now) throws InterruptedException {
        Instant renews = null;
        for (String relay : senders.keySet()) {
            Instant at = health.isDown(relay, now) ? null : limiter.quotaRenewsAt(relay, now);
            if (at != null && (renews == null || at.isBefore(renews))) {
                renews = at;
            }
        }
        if (renews == null) {
            return; // another send saw the quota renew since this one looked: pick again, no wait and no warning
        }
        Instant warned = warnedRenewal.get();
        if (!renews.equals(warned) && warnedRenewal.compareAndSet(warned, renews)) {
            quotaWaitLogged.set(true);
            log.warn("every relay that is up is out of its cluster-wide quota ({}); sends wait until {}", quotaState(now),
                    renews);
        }
        Duration left = Duration.between(now, renews);
        nap(left.compareTo(WAIT_POLL) > 0 ? WAIT_POLL : left.compareTo(MIN_QUOTA_WAIT) < 0 ? MIN_QUOTA_WAIT : left,
                "relay quota");
    }

    /**
     * One nap of a wait before a send reaches a relay; ends at once, with {@link SendWithheldException}, when the node
     * stops (or the router closes), so that waiting sends do not outlast the node's grace period.
     */
    private void nap(Duration length, String waitingFor) throws InterruptedException {
        Thread me = Thread.currentThread();
        synchronized (napping) {
            withholdIfStopping(waitingFor);
            napping.add(me);
        }
        try {
            sleeper.sleep(length);
        } catch (InterruptedException e) {
            withholdIfStopping(waitingFor);
            throw e;
        } finally {
            synchronized (napping) {
                napping.remove(me);
            }
        }
        // An interrupt from stopWaiting that came as the nap ended: it was meant for this wait, not for the send.
        if (stopWaiting && Thread.interrupted()) {
            withholdIfStopping(waitingFor);
        }
    }

    private void withholdIfStopping(String waitingFor) throws SendWithheldException {
        if (stopWaiting || closed) {
            throw new SendWithheldException("not sent: " + (closed ? "the relay router was closed" : "the node is stopping")
                    + " while the send waited for " + waitingFor);
        }
    }

    @Override
    public void stopWaiting() {
        synchronized (napping) {
            stopWaiting = true;
            napping.forEach(Thread::interrupt);
        }
    }

    private String quotaState(Instant now) {
        StringBuilder state = new StringBuilder();
        for (String relay : senders.keySet()) {
            Instant renews = limiter.quotaRenewsAt(relay, now);
            state.append(state.isEmpty() ? "" : "; ").append(relay).append(health.isDown(relay, now) ? " is marked down"
                    : renews != null ? " until " + renews : " has quota");
        }
        return state.toString();
    }

    private static Verdict verdict(SendResult result) {
        if (result.isSent() || !result.retryable()) {
            return Verdict.ANSWERED;
        }
        if (isThrottleReply(result.reason())) {
            return Verdict.THROTTLED;
        }
        return result.relayUnreachable() ? Verdict.UNREACHABLE : Verdict.TRANSIENT;
    }

    /** Whether the relay's reply starts with one of the codes relays use for "slow down" (kept verbatim by senders). */
    static boolean isThrottleReply(String reason) {
        if (reason == null || reason.length() < 3) {
            return false;
        }
        boolean codeAlone = reason.length() == 3 || reason.charAt(3) == ' ' || reason.charAt(3) == '-';
        if (!codeAlone) {
            return false;
        }
        try {
            return THROTTLE_CODES.contains(Integer.parseInt(reason.substring(0, 3)));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void throttled(String relay, String reason) {
        Instant now = clock.instant();
        double before = health.rateFactor(relay, now);
        double after = health.recordThrottle(relay, now);
        if (after < before) {
            log.warn("relay {} is throttling ({}); slowing it to {}% of its rate", relay, reason,
                    Math.round(after * 1000) / 10.0);
        }
    }

    /**
     * One event per outage: of the sends that fail together (in flight on many threads, or on several nodes), only the
     * one whose mark-down took the relay from up to down counts and logs; the others are repeats.
     */
    private void markDown(String relay, String reason) {
        Instant now = clock.instant();
        consecutiveFailures.get(relay).set(0);
        Tally tally = tallies.get(relay);
        if (!health.markDown(relay, now, now.plus(policy.coolDown()))) {
            tally.repeats.incrementAndGet();
            log.debug("relay {} is already marked down: {}", relay, reason);
            return;
        }
        tally.markedDown.increment();
        tally.down.set(true);
        log.warn("relay {} marked down for {} s: {}{}", relay, policy.coolDown().toSeconds(), reason, repeats(tally));
    }

    /** The state change back to up, seen by the node that marked the relay down when it next picks it. */
    private void backInRotation(String relay) {
        Tally tally = tallies.get(relay);
        if (tally.down.get() && tally.down.compareAndSet(true, false)) {
            log.info("relay {} is back in rotation after its cool-down{}", relay, repeats(tally));
        }
    }

    /** The mark-downs suppressed since the last state change, for its log line; empty when there were none. */
    private static String repeats(Tally tally) {
        long n = tally.repeats.getAndSet(0);
        return n == 0 ? "" : " (" + n + " repeated mark-down" + (n == 1 ? "" : "s") + " since the last change not logged)";
    }

    private String noRelayReason(Instant now) {
        StringBuilder reason = new StringBuilder("no relay available:");
        for (String relay : senders.keySet()) {
            reason.append(' ').append(relay).append(health.isDown(relay, now) ? " is marked down"
                    : limiter.hasQuota(relay, now) ? " is up" : " is out of quota").append(';');
        }
        reason.setLength(reason.length() - 1);
        return reason.toString();
    }

    @Override
    public List<RelayFigures> relayFigures() {
        Instant now = clock.instant();
        return tallies.entrySet().stream().map(e -> new RelayFigures(e.getKey(), health.isDown(e.getKey(), now),
                health.rateFactor(e.getKey(), now), e.getValue().sent.sum(), e.getValue().failed.sum(),
                e.getValue().markedDown.sum())).toList();
    }

    /** Closes every relay's sender, then the health and limiter views; idempotent. */
    @Override
    public void close() {
        closed = true;
        senders.values().forEach(sender -> closeQuietly(sender, "sender"));
        closeQuietly(health, "relay health");
        closeQuietly(limiter, "rate limiter");
    }

    private static void closeQuietly(AutoCloseable closeable, String what) {
        try {
            closeable.close();
        } catch (Exception e) {
            // At shutdown the cluster may already be gone; nothing is lost by not unregistering listeners.
            log.debug("closing the {} failed: {}", what, e.toString());
        }
    }
}
