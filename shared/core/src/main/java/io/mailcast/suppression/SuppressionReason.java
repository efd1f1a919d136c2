package io.mailcast.suppression;

/** Why an address must not be mailed again. */
public enum SuppressionReason {
    /** The recipient asked: the one-click link, the confirmation page, or an operator acting on a request. */
    UNSUBSCRIBED,
    /** The address does not exist or refuses mail for good (a 5.x.x bounce). */
    HARD_BOUNCE,
    /** Temporary bounces (4.x.x) came too often. */
    SOFT_BOUNCE,
    /** The recipient marked a message as spam (a feedback-loop report). */
    COMPLAINT,
    /** Added by an operator, for any other reason. */
    MANUAL
}
