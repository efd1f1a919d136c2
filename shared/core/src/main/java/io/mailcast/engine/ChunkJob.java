package io.mailcast.engine;

import io.mailcast.campaign.Campaign;
import io.mailcast.chunk.ChunkCounts;
import io.mailcast.chunk.ChunkLedger;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.delivery.Delivery;
import io.mailcast.delivery.Outcome;
import io.mailcast.delivery.UncertainCause;
import io.mailcast.render.MessageTemplate;
import io.mailcast.sender.AddressValidator;
import io.mailcast.sender.HandOver;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.sender.SendResult;
import io.mailcast.sender.SendWithheldException;
import io.mailcast.subscriber.AddressNormalizer;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.suppression.UnsubscribeLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends one claimed chunk. Recipients with a recorded outcome are skipped (the deliveries collection is the
 * checkpoint), and those on the suppression list are recorded SUPPRESSED without a send. Before sending beyond its
 * reservation the job raises it, in the board and in the store, so that after a crash exactly the unrecorded
 * recipients at or below the reservation are in doubt. Outcomes are written in batches; a failed write keeps them in
 * memory and retries with back-off.
 */
final class ChunkJob {

    /** FAILED: handed back after an error, which the next owner may meet again. */
    enum Result { COMPLETED, RELEASED, FAILED, LOST }

    private static final Logger log = LoggerFactory.getLogger(ChunkJob.class);
    /** How often a chunk waiting for verdicts looks them up again: a check takes up to a minute anyway. */
    static final Duration VERDICT_POLL = Duration.ofSeconds(2);

    private final ChunkRecord held;
    private final Campaign campaign;
    private final MessageTemplate template;
    private final DeliveryContext ctx;
    private final QuietFailures errors;
    /** The schedule's reminder count, looked up once per chunk; {@code null} for a campaign that is no reminder. */
    private final LongAdder remindersSent;
    private final ConcurrentLinkedQueue<Delivery> outcomes = new ConcurrentLinkedQueue<>();
    /** Outcomes waiting in {@link #outcomes}; the queue's own size() walks the whole queue. */
    private final AtomicInteger waiting = new AtomicInteger();
    private final List<Delivery> unwritten = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object idle = new Object();
    private volatile boolean lost;
    /** Sends withheld before reaching a relay (the node stopping): their recipients are unmailed, without doubt. */
    private final AtomicInteger withheld = new AtomicInteger();
    /** A send interrupted with a relay: it may have gone out unrecorded, so only the lease may hand the chunk on. */
    private volatile boolean interruptedMidSend;
    private final ReservationKeeper reservation;
    /** Recipients of a campaign waiting for verdicts that have none yet: not recorded, looked up again later. */
    private List<Subscriber> awaitingVerdict = List.of();
    private Tally tally;
    private long nextFlushAt;
    private long loadMillis;
    /** Recipients at or below this id without an outcome may have been sent by an earlier owner. */
    private SubscriberId doubtThrough = ChunkRecord.NOTHING_RESERVED;
    private long writeBackoffMillis;

    /** @param errors where errors that stop a chunk are logged: the same one again is counted, not repeated */
    ChunkJob(ChunkRecord held, Campaign campaign, MessageTemplate template, DeliveryContext ctx, QuietFailures errors) {
        this.held = held;
        this.campaign = campaign;
        this.template = template;
        this.ctx = ctx;
        this.errors = errors;
        this.reservation = new ReservationKeeper(held.reservedThrough(),
                ctx.reservationPace(), this::reserve);
        this.remindersSent = campaign.reminder() == null ? null
                : ctx.stats().remindersSent.get(campaign.reminder().scheduleId());
    }

    ChunkRecord held() {
        return held;
    }

    Result run() throws InterruptedException {
        long startNanos = System.nanoTime();
        DispatchEnd end;
        try {
            ChunkRecord stored;
            switch (ctx.ledger().recordClaim(held)) {
                case ChunkLedger.Claim.Held h -> {
                    stored = h.stored();
                    ctx.senderMarks().mark(campaign.id());
                }
                case ChunkLedger.Claim.AlreadyDone d -> {
                    log.info("campaign={} chunk={} already DONE in the store; the board now agrees", campaign.id(),
                            held.index());
                    return Result.COMPLETED;
                }
                case ChunkLedger.Claim.Lost l -> {
                    log.info("campaign={} chunk={} claim not recorded: a later claim exists", campaign.id(), held.index());
                    return Result.LOST;
                }
            }
            List<Subscriber> todo = withoutRemindedBefore(withoutDuplicates(withoutUnverified(withoutSuppressed(pending(stored)))));
            loadMillis = (System.nanoTime() - startNanos) / 1_000_000;
            end = dispatch(todo);
            if (end == DispatchEnd.ALL && !awaitingVerdict.isEmpty()) {
                log.info("campaign={} chunk={} waits for verdicts of {} recipients until {}", campaign.id(),
                        held.index(), awaitingVerdict.size(), campaign.validation().waitUntil());
            }
            while (end == DispatchEnd.ALL && !awaitingVerdict.isEmpty()) {
                end = awaitVerdicts();
            }
        } catch (RuntimeException e) {
            // Board or store trouble mid-chunk: stop dispatching, but never abandon sends already under way.
            errors.failed("campaign=" + campaign.id() + " chunk=" + held.index() + " (handed back)", e);
            end = DispatchEnd.FAILED;
        } finally {
            awaitInFlight();
            writeAll();
        }
        ChunkCounts counts = counts();
        if (lost || end == DispatchEnd.LOST) {
            log.warn("campaign={} chunk={} lost to another owner; stopped sending", campaign.id(), held.index());
            return Result.LOST;
        }
        if (interruptedMidSend) {
            // A clean hand-back would clear the reservation and with it the doubt about that send.
            log.warn("campaign={} chunk={} left to its lease: a send was interrupted and may have gone out", campaign.id(),
                    held.index());
            return Result.LOST;
        }
        if (withheld.get() > 0 && end == DispatchEnd.ALL) {
            end = DispatchEnd.INTERRUPTED; // recipients without an outcome: never DONE, handed back for the next owner
        }
        if (end == DispatchEnd.INTERRUPTED || end == DispatchEnd.FAILED) {
            return handBack(counts, end == DispatchEnd.FAILED);
        }
        // Once the board says DONE nothing re-runs this chunk, so the store must follow, however long that takes.
        boolean done = ctx.ledger().complete(held, counts);
        if (done) {
            log.info("campaign={} chunk={} done in {} ms (load {} ms): sent={} failed={} invalid={} suppressed={} skipped={} "
                    + "unverified={} uncertain={}", campaign.id(), held.index(), (System.nanoTime() - startNanos) / 1_000_000,
                    loadMillis, counts.sent(), counts.failed(), counts.invalid(), counts.suppressed(), counts.skipped(),
                    counts.unverified(), counts.uncertain());
        }
        return done ? Result.COMPLETED : Result.LOST;
    }

    private Result handBack(ChunkCounts counts, boolean afterError) throws InterruptedException {
        try {
            boolean released = ctx.ledger().handBack(held, counts);
            String moved = released ? "" : " - ownership had already moved";
            // After an error the quiet error line speaks for it: a chunk failing in a loop must not flood the log.
            if (afterError) {
                log.debug("campaign={} chunk={} handed back after an error ({} finished){}", campaign.id(), held.index(),
                        counts.finished(), moved);
            } else {
                log.info("campaign={} chunk={} handed back ({} finished){}", campaign.id(), held.index(), counts.finished(),
                        moved);
            }
            return !released ? Result.LOST : afterError ? Result.FAILED : Result.RELEASED;
        } catch (RuntimeException e) {
            log.warn("campaign={} chunk={} could not be handed back through the board ({}); its lease will expire and "
                    + "it is reclaimed", campaign.id(), held.index(), e.toString());
            return Result.LOST;
        }
    }

    /**
     * Loads the range, drops recipients already recorded, and counts the in-doubt ones. Board and store may each know
     * more (a stale board after a partition, a restored one after a restart): take the larger doubt from either.
     */
    private List<Subscriber> pending(ChunkRecord stored) {
        SubscriberId doubtThrough = SubscriberId.max(held.reservedThrough(), stored.reservedThrough());
        long priorUncertain = Math.max(held.counts().uncertain(), stored.counts().uncertain());
        List<Subscriber> all = ctx.subscribers().eligibleInRange(campaign.audience(), held.ids(), held.planned());
        if (held.epoch() <= 1) {
            tally = new Tally(ChunkCounts.ZERO);
            return all;
        }
        Map<SubscriberId, Delivery> recorded = ctx.deliveries().recorded(campaign.id(), all.stream().map(Subscriber::id).toList());
        ChunkCounts counts = ChunkCounts.ZERO.plusUncertain(priorUncertain);
        for (Delivery d : recorded.values()) {
            counts = Tally.plus(counts, d.outcome());
        }
        List<Subscriber> todo = new ArrayList<>(all.size() - recorded.size());
        long inDoubt = 0;
        for (Subscriber s : all) {
            if (!recorded.containsKey(s.id())) {
                todo.add(s);
                if (atOrBelow(s.id(), doubtThrough)) {
                    inDoubt++;
                }
            }
        }
        this.doubtThrough = doubtThrough;
        tally = new Tally(counts.plusUncertain(inDoubt));
        ctx.stats().uncertain.add(inDoubt);
        if (inDoubt > 0) {
            log.warn("campaign={} chunk={} resumed after a crash: {} recipients were in flight and are re-sent as uncertain",
                    campaign.id(), held.index(), inDoubt);
        } else {
            log.info("campaign={} chunk={} resumed: {} already finished, {} to go", campaign.id(), held.index(),
                    recorded.size(), todo.size());
        }
        return todo;
    }

    /**
     * Records the recipients whose address is on the suppression list as SUPPRESSED, and returns the others: one
     * lookup for the whole chunk, not one per recipient. A suppressed recipient in doubt keeps its flag, since the
     * earlier owner may have mailed it before the address was suppressed.
     */
    private List<Subscriber> withoutSuppressed(List<Subscriber> todo) {
        Set<String> addresses = new HashSet<>();
        for (Subscriber s : todo) {
            addresses.add(AddressNormalizer.normalize(s.email()));
        }
        Set<String> suppressed = addresses.isEmpty() ? Set.of() : ctx.suppressions().suppressedAmong(addresses);
        if (suppressed.isEmpty()) {
            return todo;
        }
        List<Subscriber> rest = new ArrayList<>(todo.size());
        for (Subscriber s : todo) {
            if (suppressed.contains(AddressNormalizer.normalize(s.email()))) {
                UncertainCause doubt = atOrBelow(s.id(), doubtThrough) ? UncertainCause.NODE_DIED : null;
                record(outcome(s, Outcome.SUPPRESSED, "on the suppression list", doubt, 0, null, false));
            } else {
                rest.add(s);
            }
        }
        return rest;
    }

    /**
     * For a campaign requiring validation, records the recipients neither confirmed nor checked-valid as UNVERIFIED and
     * returns the others: one verdict lookup for the chunk. Before de-duplication, so that an unverified subscriber
     * never takes a mailbox from a confirmed one.
     */
    private List<Subscriber> withoutUnverified(List<Subscriber> todo) {
        UnverifiedRecipients.Split split = UnverifiedRecipients.split(campaign.validation(), todo, ctx.verdicts(),
                ctx.clock().instant());
        for (UnverifiedRecipients.Refused refused : split.refused()) {
            Subscriber s = refused.subscriber();
            UncertainCause doubt = atOrBelow(s.id(), doubtThrough) ? UncertainCause.NODE_DIED : null;
            record(outcome(s, Outcome.UNVERIFIED, refused.reason(), doubt, 0, null, false));
        }
        awaitingVerdict = split.waiting();
        return split.toSend();
    }

    /**
     * Waits a little for the recipients still without a verdict, then mails those found checked-valid and records
     * the rest UNVERIFIED once the deadline has passed. The chunk keeps its lease meanwhile; a stopping node hands it
     * back with those recipients unrecorded, so the next owner waits for them in turn: none is lost, none mailed
     * unverified.
     */
    private DispatchEnd awaitVerdicts() throws InterruptedException {
        long wakeAt = ctx.clock().millis() + VERDICT_POLL.toMillis();
        while (ctx.clock().millis() < wakeAt) {
            if (lost) {
                return DispatchEnd.LOST;
            }
            if (shouldStop()) {
                return DispatchEnd.INTERRUPTED;
            }
            writeIfDue();
            Thread.sleep(100);
        }
        List<Subscriber> ready = withoutRemindedBefore(withoutDuplicates(withoutUnverified(awaitingVerdict)));
        return dispatch(ready);
    }

    /** Records the recipients whose mailbox another subscriber of the campaign holds as SKIPPED; returns the rest. */
    private List<Subscriber> withoutDuplicates(List<Subscriber> todo) {
        DuplicateAddresses.Split split = DuplicateAddresses.split(campaign.id(), todo, ctx.addressClaims());
        for (DuplicateAddresses.Skip skip : split.skipped()) {
            Subscriber s = skip.subscriber();
            UncertainCause doubt = atOrBelow(s.id(), doubtThrough) ? UncertainCause.NODE_DIED : null;
            record(outcome(s, Outcome.SKIPPED, "same mailbox as subscriber " + skip.mailedAs().key() + ", who is mailed instead",
                    doubt, 0, null, false));
        }
        return split.toSend();
    }

    /** For a reminder campaign: records those reminded before about the same date as SKIPPED; returns the rest. */
    private List<Subscriber> withoutRemindedBefore(List<Subscriber> todo) {
        if (campaign.reminder() == null) {
            return todo;
        }
        RemindedBefore.Split split = RemindedBefore.split(campaign.id(), campaign.reminder(), todo, ctx.reminderClaims());
        for (RemindedBefore.Skip skip : split.skipped()) {
            UncertainCause doubt = atOrBelow(skip.subscriber().id(), doubtThrough) ? UncertainCause.NODE_DIED : null;
            record(outcome(skip.subscriber(), Outcome.SKIPPED, skip.reason(), doubt, 0, null, false));
        }
        return split.toSend();
    }

    private void record(Delivery d) {
        tally.add(d.outcome());
        ctx.stats().count(d.outcome());
        if (d.outcome() == Outcome.SENT && remindersSent != null) {
            remindersSent.increment();
        }
        outcomes.add(d);
        waiting.incrementAndGet();
    }

    private enum DispatchEnd { ALL, INTERRUPTED, FAILED, LOST }

    private DispatchEnd dispatch(List<Subscriber> todo) throws InterruptedException {
        int step = ctx.tuning().reserveStep();
        for (int i = 0; i < todo.size(); i++) {
            Subscriber s = todo.get(i);
            if (i % step == 0 && shouldStop()) {
                return DispatchEnd.INTERRUPTED;
            }
            if (reservation.failure() != null) {
                throw reservation.failure();
            }
            if (lost) {
                return DispatchEnd.LOST;
            }
            while (!ctx.permits().tryAcquire(100, TimeUnit.MILLISECONDS)) {
                writeIfDue();
            }
            boolean inDoubt = atOrBelow(s.id(), doubtThrough);
            int index = i;
            HandOver handOver = () -> reservation.beforeHandOver(todo, index);
            inFlight.incrementAndGet();
            Thread.ofVirtual().name("send-" + held.index()).start(() -> {
                try {
                    Delivery d = deliver(s, inDoubt, handOver);
                    if (d != null) {
                        record(d);
                    }
                } finally {
                    ctx.permits().release();
                    if (inFlight.decrementAndGet() == 0) {
                        synchronized (idle) {
                            idle.notifyAll();
                        }
                    }
                }
            });
            writeIfDue();
        }
        return DispatchEnd.ALL;
    }

    private boolean shouldStop() {
        return ctx.stopping().getAsBoolean() || !ctx.campaigns().isRunning(campaign.id());
    }

    /** Whether {@code id} is covered by a reservation mark; {@code null} marks cover nothing. */
    private static boolean atOrBelow(SubscriberId id, SubscriberId mark) {
        return mark != null && id.compareTo(mark) <= 0;
    }

    /** Writes a reservation before sends beyond the old mark leave: both board and store must accept it. */
    private boolean reserve(SubscriberId through) {
        if (lost) {
            return false;
        }
        long until = ctx.clock().millis() + ctx.tuning().lease().toMillis();
        if (!ctx.ledger().reserve(held, until, through, tally.snapshot())) {
            lost = true;
            return false;
        }
        return true;
    }

    /** Renews the lease; called by the node's lease keeper. */
    void renew() {
        if (lost) {
            return;
        }
        long until = ctx.clock().millis() + ctx.tuning().lease().toMillis();
        if (!ctx.ledger().renew(held, until, reservation.through(), counts())) {
            lost = true;
        }
    }

    /**
     * The outcome, or {@code null} when the node is killed mid-send: left unrecorded, the next owner re-sends.
     *
     * @param takenOver an earlier owner of the chunk may have sent this message before it died
     * @param handOver  asked by the sender right before the message leaves for a relay
     */
    private Delivery deliver(Subscriber s, boolean takenOver, HandOver handOver) {
        UncertainCause priorDoubt = takenOver ? UncertainCause.NODE_DIED : null;
        Optional<String> problem = AddressValidator.problem(s.email());
        if (problem.isPresent()) {
            return outcome(s, Outcome.INVALID, "invalid address: " + problem.get(), priorDoubt, 0, null, false);
        }
        OutgoingMessage message;
        try {
            // The one place a subscriber id becomes the key the links carry.
            UnsubscribeLink link = ctx.unsubscribeLinks().forRecipient(campaign.id(), s.id().key(),
                    AddressNormalizer.normalize(s.email()));
            message = template.render(s, link);
        } catch (RuntimeException e) {
            return outcome(s, Outcome.FAILED, "render failed: " + e.getMessage(), priorDoubt, 0, null, false);
        }
        int attempt = 0;
        int attemptsInDoubt = 0;
        while (true) {
            attempt++;
            SendResult result;
            try {
                result = ctx.sender().send(message, handOver);
            } catch (SendWithheldException e) {
                withheld.incrementAndGet();
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                interruptedMidSend = true;
                return null;
            } catch (RuntimeException e) {
                result = SendResult.failed("sender error: " + e, true, null);
            }
            attemptsInDoubt += result.attemptsInDoubt();
            if (result.isSent() || !result.retryable() || attempt >= ctx.tuning().maxAttempts()) {
                boolean refusedForGood = result.outcome() == Outcome.FAILED && !result.retryable();
                return settled(s, result.outcome(), result.reason(), priorDoubt, attemptsInDoubt, attempt, result.relay(),
                        refusedForGood);
            }
            ctx.stats().retried.increment();
            if (!sleepBeforeRetry(attempt)) {
                return settled(s, Outcome.FAILED, result.reason(), priorDoubt, attemptsInDoubt, attempt, result.relay(),
                        false);
            }
        }
    }

    /**
     * The last attempt's outcome. Each attempt the relay may have accepted without our hearing counts as uncertain,
     * whatever came after: a later SENT may be a second copy, and a final FAILED may have arrived after all.
     */
    private Delivery settled(Subscriber s, Outcome outcome, String reason, UncertainCause priorDoubt, int attemptsInDoubt,
                             int attempts, String relay, boolean permanent) {
        if (attemptsInDoubt == 0) {
            return outcome(s, outcome, reason, priorDoubt, attempts, relay, permanent);
        }
        tally.addUncertain(attemptsInDoubt);
        ctx.stats().uncertain.add(attemptsInDoubt);
        String why = outcome == Outcome.FAILED
                ? reason + " (uncertain: the relay connection was lost after the message went out, it may have arrived)"
                : reason;
        return outcome(s, outcome, why, UncertainCause.RELAY_CONNECTION_LOST, attempts, relay, permanent);
    }

    private boolean sleepBeforeRetry(int attempt) {
        long base = ctx.tuning().retryBackoff().toMillis() << (attempt - 1);
        long jitter = ThreadLocalRandom.current().nextLong(base / 2 + 1);
        try {
            Thread.sleep(Duration.ofMillis(base + jitter));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Delivery outcome(Subscriber s, Outcome outcome, String reason, UncertainCause uncertain, int attempts,
                             String relay, boolean permanent) {
        return new Delivery(campaign.id(), s.id(), s.email(), outcome, reason, uncertain, attempts, ctx.nodeId(), relay,
                ctx.clock().instant(), permanent);
    }

    private void awaitInFlight() throws InterruptedException {
        while (inFlight.get() > 0) {
            synchronized (idle) {
                if (inFlight.get() > 0) {
                    idle.wait(100);
                }
            }
            writeIfDue();
        }
    }

    private void writeIfDue() {
        long now = ctx.clock().millis();
        if (now < nextFlushAt && waiting.get() < ctx.tuning().flushSize()) {
            return;
        }
        tryWrite(now);
    }

    /** Writes everything; retries with back-off while the store is down: outcomes are facts and must not be lost. */
    private void writeAll() throws InterruptedException {
        while (!tryWrite(ctx.clock().millis()) || !outcomes.isEmpty()) {
            Thread.sleep(Math.max(writeBackoffMillis, 10));
        }
    }

    private boolean tryWrite(long now) {
        Delivery d;
        while ((d = outcomes.poll()) != null) {
            waiting.decrementAndGet();
            unwritten.add(d);
        }
        if (unwritten.isEmpty()) {
            nextFlushAt = now + ctx.tuning().flushInterval().toMillis();
            return true;
        }
        try {
            ctx.deliveries().record(unwritten);
            unwritten.clear();
            writeBackoffMillis = 0;
            nextFlushAt = now + ctx.tuning().flushInterval().toMillis();
            return true;
        } catch (RuntimeException e) {
            ctx.stats().storeWriteFailures.increment();
            writeBackoffMillis = Math.min(Math.max(writeBackoffMillis * 2, 250), 10_000);
            nextFlushAt = now + writeBackoffMillis;
            log.warn("campaign={} chunk={} could not write {} outcomes ({}); keeping them, retry in {} ms",
                    campaign.id(), held.index(), unwritten.size(), e.getClass().getSimpleName(), writeBackoffMillis);
            return false;
        }
    }

    /** Used by tests and the lease keeper: recipients finished so far. */
    ChunkCounts counts() {
        return tally == null ? held.counts() : tally.snapshot();
    }

}
