package io.mailcast.engine;

import io.mailcast.sender.SendWithheldException;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.subscriber.SubscriberId;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps a chunk's reservation ahead of the messages leaving for the relay. A message beyond the mark waits until the
 * mark is written past it (board and store); once a message comes within half a step of the mark, the next step is
 * written in the background, so that in a steady run no message waits and the SMTP connections never stall on it.
 * A write that fails (another owner, the board or store unreachable) withholds the message: certainly unsent.
 */
final class ReservationKeeper {

    /** Writes the mark durably; false when the chunk has another owner. May throw on board or store trouble. */
    @FunctionalInterface
    interface Write {
        boolean raiseTo(SubscriberId through);
    }

    private final Write write;
    private final ReservationPace pace;
    private final Object lock = new Object();
    private final AtomicBoolean writingAhead = new AtomicBoolean();
    private volatile SubscriberId through;
    private volatile boolean refused;
    private volatile RuntimeException failure;

    ReservationKeeper(SubscriberId through, ReservationPace pace, Write write) {
        this.through = through;
        this.pace = pace;
        this.write = write;
    }

    /** The highest id reserved, {@code null} for none. */
    SubscriberId through() {
        return through;
    }

    /** Why a write failed, or {@code null}: the chunk stops and is handed back after this error. */
    RuntimeException failure() {
        return failure;
    }

    /** Returns once {@code todo[index]} is reserved; throws when it cannot be. */
    void beforeHandOver(List<Subscriber> todo, int index) throws SendWithheldException {
        if (covers(todo.get(index).id())) {
            writeAheadIfNear(todo, index);
            return;
        }
        synchronized (lock) {
            if (!covers(todo.get(index).id()) && !raise(todo, index)) {
                throw new SendWithheldException("not sent: the chunk's reservation could not be raised"
                        + (refused ? " (another node owns the chunk now)" : ""));
            }
        }
    }

    private void writeAheadIfNear(List<Subscriber> todo, int index) {
        int halfStep = Math.max(1, pace.current() / 2);
        int probe = Math.min(index + halfStep, todo.size() - 1);
        if (covers(todo.get(probe).id()) || refused || failure != null || !writingAhead.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("reserve-ahead").start(() -> {
            try {
                synchronized (lock) {
                    if (!covers(todo.get(probe).id())) {
                        raise(todo, probe);
                    }
                }
            } finally {
                writingAhead.set(false);
            }
        });
    }

    /** Under the lock: writes the mark a step past {@code todo[index]}; false when it could not. */
    private boolean raise(List<Subscriber> todo, int index) {
        if (refused || failure != null) {
            return false;
        }
        SubscriberId next = todo.get(Math.min(index + pace.next(), todo.size()) - 1).id();
        try {
            if (write.raiseTo(next)) {
                through = SubscriberId.max(through, next);
                return true;
            }
            refused = true;
        } catch (RuntimeException e) {
            failure = e;
        }
        return false;
    }

    private boolean covers(SubscriberId id) {
        SubscriberId mark = through;
        return mark != null && id.compareTo(mark) <= 0;
    }
}
