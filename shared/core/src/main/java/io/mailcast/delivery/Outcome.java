package io.mailcast.delivery;

/** What happened to one recipient of a campaign. */
public enum Outcome {
    /** Accepted by the relay (or by the simulated sender). */
    SENT,
    /** Rejected for good, or still failing after the last retry; the reason is kept. */
    FAILED,
    /** The address is not a syntactically valid mailbox; nothing was sent. */
    INVALID,
    /** The address is on the suppression list (unsubscribed, bounced, complained); nothing was sent. */
    SUPPRESSED,
    /**
     * Another subscriber of the campaign has the same mailbox (normalised address) and is mailed instead; nothing was
     * sent to this one. The reason names that subscriber.
     */
    SKIPPED,
    /**
     * The campaign requires confirmed or checked-valid addresses, and this one is neither (no fresh VALID verdict is
     * cached); nothing was sent. Counted as unverified.
     */
    UNVERIFIED,
    /**
     * Sent, then bounced: the recipient's server sent a delivery status notification back after the relay had accepted
     * the message. The send happened, so it counts as sent in a chunk's counts; the bounce is kept on the delivery.
     */
    BOUNCED
}
