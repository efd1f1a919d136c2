package io.mailcast.engine;

import java.time.Duration;

/** Hears how each chunk run on this node ended and how long it took; the node turns this into a histogram. */
@FunctionalInterface
public interface ChunkObserver {

    ChunkObserver NONE = (result, took) -> {
    };

    /** @param result {@code completed}, {@code released}, {@code failed} or {@code lost} */
    void finished(String result, Duration took);
}
