package io.mailcast.webhook;

import java.time.Instant;
import java.util.Optional;

/**
 * Reports waiting to be POSTed. A message is put in when it is settled SENT or FAILED, or gets a bounce, in the same
 * write, so no report is lost; every change is fenced by the claim's owner and attempt, and a report newer than the
 * claim (a bounce arriving meanwhile) stays pending to go out again.
 */
public interface WebhookOutbox {

    /** A due report: pending and past its back-off, or claimed by a node whose lease ran out. */
    Optional<PendingWebhook> claimNext(String owner, Instant now, Instant leaseUntil);

    /** The receiver answered 2xx; false when the claim was lost (or a newer report is pending). */
    boolean delivered(PendingWebhook claimed, Instant at);

    /** Not delivered: pending again from {@code due}, with the reason kept for the message's status. */
    boolean retryAt(PendingWebhook claimed, Instant due, String error);

    /** Not delivered and no attempt left, or the key lost its webhook: nothing more is tried. */
    boolean giveUp(PendingWebhook claimed, Instant at, String error);
}
