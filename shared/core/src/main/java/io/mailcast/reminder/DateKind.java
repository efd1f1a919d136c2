package io.mailcast.reminder;

/** How a subscriber's date field stores its instant. */
public enum DateKind {
    /** A number of seconds since the epoch, as seed 004's {@code validts}; 0 means none. */
    EPOCH_SECONDS,
    /** A BSON date. */
    DATE
}
