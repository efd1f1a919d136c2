package io.mailcast.sender.smtp;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

import java.io.IOException;

/**
 * What a failed send means: whether a later attempt may succeed and whether the connection can be used again.
 *
 * @param reason         relay reply (kept verbatim for 4xx/5xx) or a description of the connection problem
 * @param retryable      4xx replies and connection problems; 5xx replies are permanent
 * @param connectionLost the transport is in an unknown state or closed and must be discarded
 */
record SmtpFailure(String reason, boolean retryable, boolean connectionLost) {

    private static final int SERVICE_CLOSING = 421;
    private static final int BAD_SEQUENCE = 503;

    /** Classifies an exception thrown by {@code Transport.sendMessage}. */
    static SmtpFailure of(Exception failure) {
        // Angus chains the exception that carries the reply code behind a generic one ("Invalid Addresses").
        for (Throwable t = failure; t != null; t = next(t)) {
            switch (t) {
                case SMTPAddressFailedException e -> {
                    return fromReply(e.getReturnCode(), e.getMessage());
                }
                case SMTPSenderFailedException e -> {
                    return fromReply(e.getReturnCode(), e.getMessage());
                }
                case SMTPSendFailedException e -> {
                    return fromReply(e.getReturnCode(), e.getMessage());
                }
                case IOException e -> {
                    return new SmtpFailure("connection to relay failed: " + e, true, true);
                }
                default -> {
                }
            }
        }
        // Angus throws IllegalStateException when the relay closed the connection before we used it.
        return new SmtpFailure("connection to relay failed: " + failure, true, true);
    }

    /** A failure to connect, greet or authenticate: never the recipient's fault, so always worth a retry. */
    static SmtpFailure ofConnect(MessagingException failure) {
        if (failure instanceof AuthenticationFailedException) {
            return new SmtpFailure("relay rejected the SMTP user or password: " + failure.getMessage(), true, true);
        }
        Throwable cause = failure.getNextException();
        return new SmtpFailure("cannot connect to relay: " + failure.getMessage()
                + (cause == null ? "" : " (" + cause + ")"), true, true);
    }

    private static SmtpFailure fromReply(int code, String reply) {
        String text = reply == null || reply.isBlank() ? code + " (no reply text)" : reply.strip();
        // 503 "bad sequence of commands": the relay and we disagree about the session's state (postfix: "nested MAIL
        // command"). A protocol error, not a verdict on the recipient: start over on a new connection.
        if (code == SERVICE_CLOSING || code == BAD_SEQUENCE) {
            return new SmtpFailure(text, true, true);
        }
        if (code >= 400 && code < 500) {
            return new SmtpFailure(text, true, false);
        }
        if (code >= 500 && code < 600) {
            return new SmtpFailure(text, false, false);
        }
        // Not a reply code we understand: the conversation is out of step, so start over on a new connection.
        return new SmtpFailure(text, true, true);
    }

    private static Throwable next(Throwable t) {
        return t instanceof MessagingException m && m.getNextException() != null ? m.getNextException() : t.getCause();
    }
}
