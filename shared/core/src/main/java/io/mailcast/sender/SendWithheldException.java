package io.mailcast.sender;

/**
 * A send given up before anything went to a relay (the node is stopping while the send waited for quota or for a
 * relay): the recipient was certainly not mailed. An {@link InterruptedException} only so that it can leave
 * {@link Sender#send} like one; callers that can tell the two apart hand the recipient back without doubt.
 */
public final class SendWithheldException extends InterruptedException {

    public SendWithheldException(String reason) {
        super(reason);
    }
}
