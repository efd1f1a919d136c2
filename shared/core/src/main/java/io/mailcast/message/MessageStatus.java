package io.mailcast.message;

/** Where a message of the send API stands. Only QUEUED can be cancelled; SENT, FAILED and CANCELLED are final. */
public enum MessageStatus {
    /** Stored and waiting for a dispatcher (also between retries). */
    QUEUED,
    /** Claimed by one node's dispatcher under a lease; re-claimed when the lease runs out. */
    PROCESSING,
    /** Every recipient's copy was accepted by a relay. */
    SENT,
    /** A relay refused a recipient for good, or the attempts ran out. */
    FAILED,
    /** Withdrawn by the application while it was still queued. */
    CANCELLED;

    public boolean isFinal() {
        return this == SENT || this == FAILED || this == CANCELLED;
    }
}
