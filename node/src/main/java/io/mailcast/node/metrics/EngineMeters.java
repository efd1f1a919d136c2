package io.mailcast.node.metrics;

import io.mailcast.engine.ChunkObserver;
import io.mailcast.engine.NodeStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/** The campaign engine's series: outcomes, chunks, in-flight sends and the chunk-duration histogram. */
public final class EngineMeters {

    private EngineMeters() {
    }

    /** Registers this node's engine figures; the returned observer feeds {@code mailcast_chunk_duration_seconds}. */
    public static ChunkObserver register(MeterRegistry registry, NodeStats s, IntSupplier inFlight,
                                         IntSupplier activeChunks, IntSupplier members) {
        counter(registry, "mailcast.messages.sent", "Messages accepted by the relay", s.sent);
        counter(registry, "mailcast.messages.failed", "Recipients recorded as FAILED", s.failed);
        counter(registry, "mailcast.messages.invalid", "Recipients recorded as INVALID", s.invalid);
        counter(registry, "mailcast.messages.suppressed", "Recipients not mailed: on the suppression list", s.suppressed);
        counter(registry, "mailcast.messages.skipped",
                "Recipients not mailed: another subscriber of the campaign has the same address", s.skipped);
        counter(registry, "mailcast.messages.unverified",
                "Recipients not mailed: the campaign requires validation and the address is neither confirmed nor "
                        + "checked-valid", s.unverified);
        counter(registry, "mailcast.send.retries", "Send attempts repeated after a transient failure", s.retried);
        counter(registry, "mailcast.messages.uncertain",
                "Sends that may have arrived twice: in flight on a node that died, or lost after the end of data", s.uncertain);
        counter(registry, "mailcast.chunks.completed", "Chunks this node finished", s.chunksCompleted);
        counter(registry, "mailcast.chunks.released", "Chunks handed back (pause, shutdown, error)", s.chunksReleased);
        counter(registry, "mailcast.chunks.lost", "Chunks this node lost to another owner", s.chunksLost);
        counter(registry, "mailcast.store.write.failures", "Failed outcome writes (kept and retried)", s.storeWriteFailures);
        gauge(registry, "mailcast.sends.in.flight", "Sends in flight now", inFlight);
        gauge(registry, "mailcast.chunks.active", "Chunks being worked on now", activeChunks);
        gauge(registry, "mailcast.cluster.members", "Members this node sees", members);
        s.remindersSent.onNewKey(schedule -> FunctionCounter.builder("mailcast.reminders.sent",
                        s.remindersSent.get(schedule), LongAdder::sum)
                .description("Reminders of a schedule this node got accepted by a relay").tag("schedule", schedule)
                .register(registry));
        Histograms chunks = new Histograms(registry, "mailcast.chunk.duration",
                "Time from claiming a chunk to finishing or handing it back, by how it ended",
                Histograms.seconds(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800));
        return (result, took) -> chunks.record(took, "result", result);
    }

    static void counter(MeterRegistry registry, String name, String description, LongAdder value) {
        FunctionCounter.builder(name, value, LongAdder::sum).description(description).register(registry);
    }

    static void gauge(MeterRegistry registry, String name, String description, IntSupplier value) {
        Gauge.builder(name, value::getAsInt).description(description).register(registry);
    }
}
