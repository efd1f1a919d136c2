package io.mailcast.bounce;

/** What became of one message to the bounce address; each has a counter in the node's metrics. */
public enum InboundVerdict {
    HARD_BOUNCE,
    SOFT_BOUNCE,
    COMPLAINT,
    /** A report about a delivery that already had one of its kind (a resent report). */
    REPEATED,
    /** The recipient is not a VERP address of ours, or its signature does not hold. */
    DROPPED_UNSIGNED,
    /** Signed, but neither a failed DSN nor an ARF complaint: an auto-reply, a delay warning, anything else. */
    DROPPED_NOT_A_REPORT,
    /** Signed, but no delivery of that campaign and subscriber is recorded (deleted, or a send-API message). */
    DROPPED_NO_DELIVERY
}
