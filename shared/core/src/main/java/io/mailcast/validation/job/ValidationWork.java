package io.mailcast.validation.job;

import io.mailcast.chunk.ChunkLedger;
import io.mailcast.subscriber.SubscriberSource;
import io.mailcast.validation.AddressValidation;
import io.mailcast.validation.ValidationSlots;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What a node needs to run validation chunks: its id, the validation chunks' ledger (a board and a store of their
 * own), the jobs, the subscribers, the paid check and this node's slots for it.
 *
 * @param lease how long a claimed validation chunk stays this node's without renewal; renewed at a third of it
 */
public record ValidationWork(String nodeId, ChunkLedger ledger, ValidationJobStore jobs, SubscriberSource subscribers,
                             AddressValidation validation, ValidationSlots slots, Clock clock, Duration lease) {

    public ValidationWork {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(jobs, "jobs");
        Objects.requireNonNull(subscribers, "subscribers");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(slots, "slots");
        Objects.requireNonNull(clock, "clock");
        if (lease.toMillis() < 300) {
            throw new IllegalArgumentException("validation chunk lease must be at least 300 ms, got " + lease);
        }
    }

    public Duration renewEvery() {
        return lease.dividedBy(3);
    }
}
