package io.mailcast.sender;

import io.mailcast.delivery.Outcome;

/**
 * What a {@link Sender} reports for one message.
 *
 * @param outcome          final outcome for this attempt
 * @param retryable        true when the failure is transient (4xx, connection loss) and a later attempt may succeed
 * @param reason           relay reply or error text for failures, {@code null} when sent
 * @param relay            name of the relay that handled the message ({@code "simulated"} for the simulator)
 * @param relayUnreachable true when the relay could not be connected to or refused our credentials, so the message
 *                         itself was never tried: another relay may take it at once
 * @param attemptsInDoubt  tries within this send whose outcome nobody knows: the connection was lost, or no final reply
 *                         came in time, after the message's end of data went out, so the relay may have accepted it. A
 *                         sender that fails over between relays adds up the tries it moved on from.
 */
public record SendResult(Outcome outcome, boolean retryable, String reason, String relay, boolean relayUnreachable,
                         int attemptsInDoubt) {

    public static SendResult sent(String relay) {
        return new SendResult(Outcome.SENT, false, null, relay, false, 0);
    }

    public static SendResult failed(String reason, boolean retryable, String relay) {
        return new SendResult(Outcome.FAILED, retryable, reason, relay, false, 0);
    }

    /** The connection broke after the end of data went out: retryable, and the relay may have accepted it. */
    public static SendResult inDoubt(String reason, String relay) {
        return new SendResult(Outcome.FAILED, true, reason, relay, false, 1);
    }

    /** The relay could not be reached or rejected the login: retryable, and not the message's fault. */
    public static SendResult unreachable(String reason, String relay) {
        return new SendResult(Outcome.FAILED, true, reason, relay, true, 0);
    }

    public static SendResult invalid(String reason) {
        return new SendResult(Outcome.INVALID, false, reason, null, false, 0);
    }

    public boolean isSent() {
        return outcome == Outcome.SENT;
    }

    /** This result with {@code attemptsInDoubt} as its count of tries in doubt. */
    public SendResult withAttemptsInDoubt(int attemptsInDoubt) {
        return new SendResult(outcome, retryable, reason, relay, relayUnreachable, attemptsInDoubt);
    }
}
