package io.mailcast.time;

import java.time.Duration;

/** Waits; injected next to the {@link java.time.Clock} so tests can move a test clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

    Sleeper SYSTEM = Thread::sleep;

    void sleep(Duration duration) throws InterruptedException;
}
