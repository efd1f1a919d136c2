package io.mailcast.sender.smtp;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import jakarta.mail.internet.InternetAddress;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Angus Mail's SMTP transport, with one more way to send: messages already serialised for the DATA phase
 * ({@link MimeWriter}), each written in one piece, in batches that cost one round trip per message when the relay
 * offers PIPELINING (RFC 2920). Angus still opens the connection, says EHLO, negotiates STARTTLS or implicit TLS,
 * authenticates, probes with NOOP and quits.
 *
 * <p>Why: Angus' own {@code sendMessage} re-encodes the MIME tree through a byte-at-a-time stream chain and waits
 * for four replies per message; profiles put two thirds of a node's CPU there.
 *
 * <p>Replies are read by Angus and failures raised as Angus' own exception types, so {@link SmtpFailure} classifies
 * them the same way as Angus' errors. Writes go straight to the socket Angus ended up with, which
 * {@link RelaySockets} hands over; java.net sockets have no write timeout, so a {@link WriteWatchdog} closes the
 * socket of a write that stalls.
 */
final class PipelinedSmtpTransport extends SMTPTransport {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] END_OF_DATA = ".\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "DATA\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RSET = "RSET\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOTHING = {};
    private static final byte[][] NO_COMMANDS = {};
    private static final int START_MAIL_INPUT = 354;
    private static final WriteWatchdog WATCHDOG = new WriteWatchdog();

    private final RelaySockets sockets;
    private final Duration writeTimeout;
    private Socket socket;
    private OutputStream out;
    /** A transaction failed since the last MAIL we wrote: the next one goes after an RSET. */
    private boolean resetNeeded;
    /** System.nanoTime() when the write under way began, 0 when none is; read by the watchdog. */
    private volatile long writingSince;

    PipelinedSmtpTransport(Session session, RelaySockets sockets, Duration writeTimeout) {
        super(session, new URLName("smtp", null, -1, null, null, null));
        this.sockets = sockets;
        this.writeTimeout = writeTimeout;
    }

    @Override
    protected synchronized boolean protocolConnect(String host, int port, String user, String password)
            throws MessagingException {
        sockets.takeLastMade(); // a stale one from an earlier failed attempt on this thread
        try {
            boolean connected = super.protocolConnect(host, port, user, password);
            if (connected) {
                socket = sockets.takeLastMade();
                if (socket == null) {
                    throw new MessagingException("SMTP connection was not opened through Mailcast's socket factory");
                }
                out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
                WATCHDOG.watch(this);
            }
            return connected;
        } catch (IOException e) {
            throw new MessagingException("cannot write to SMTP connection", e);
        } finally {
            sockets.takeLastMade();
        }
    }

    /** What became of each message of a batch, reported in order on the sending thread. */
    interface Outcomes {
        /** Asked before any byte of this message goes out; false: skip it, nothing of it was written. */
        boolean handingOver(int index);

        void accepted(int index);

        /** The relay refused this message (a 4xx or 5xx reply): a verdict on the message. */
        void refused(int index, MessagingException reply);

        /**
         * The conversation broke while this message was under way: the connection was lost, a reply timed out or came
         * out of step. The transport throws next.
         *
         * @param mayHaveArrived its end of data had gone out, so the relay may have accepted it without our hearing
         */
        void broken(int index, Exception failure, boolean mayHaveArrived);
    }

    /**
     * Sends {@code batch} in order. With PIPELINING each message costs one round trip: its content goes out in one
     * write with the next message's MAIL, RCPT and DATA (RFC 2920 lets message content open a group and DATA end
     * it). Without PIPELINING every command waits for its reply.
     *
     * <p>RFC 5321 state rules: no content unless DATA got 354; after a failed transaction (refused MAIL, RCPT, DATA or
     * content) the next MAIL we write is preceded by RSET, in the same write when pipelining. A reply out of step
     * (503 "bad sequence", an unexpected RSET reply) is not a verdict on the message: it ends the connection and the
     * message is reported {@link Outcomes#broken} (retryable).
     *
     * @throws MessagingException when the connection failed or the conversation went out of step, after reporting the
     *                            message under way; the ones after it were not tried (at most their envelope went out)
     */
    synchronized void send(List<MimeWriter.WireMessage> batch, Outcomes outcomes) throws MessagingException {
        checkConnected();
        boolean pipelining = supportsExtension("PIPELINING");
        boolean envelopeSent = false;
        int withheld = -1;
        for (int i = 0; i < batch.size(); i++) {
            if (i == withheld || !envelopeSent && !outcomes.handingOver(i)) {
                continue; // nothing of it went out; envelopeSent is false
            }
            MimeWriter.WireMessage message = batch.get(i);
            MimeWriter.WireMessage next = pipelining && i + 1 < batch.size() ? batch.get(i + 1) : null;
            boolean endOfDataSent = false;
            Reply verdict;
            try {
                try {
                    if (pipelining) {
                        sendEnvelopePipelined(message, envelopeSent);
                    } else {
                        sendEnvelopeStepByStep(message);
                    }
                } catch (MessagingException e) {
                    if (SmtpFailure.of(e).connectionLost()) {
                        throw e;
                    }
                    outcomes.refused(i, e);
                    resetNeeded = true;
                    envelopeSent = false;
                    continue;
                }
                // Asked before the content, so that the relay never waits on it between content and end of data.
                if (next != null && !outcomes.handingOver(i + 1)) {
                    withheld = i + 1;
                    next = null;
                }
                byte[] content = dotStuffed(message.content());
                put(content, endsWithCrlf(content) ? NOTHING : CRLF);
                // From here on the relay may accept the message even if we never hear its verdict.
                endOfDataSent = true;
                // The next envelope needs no RSET in front: the end of data ends this transaction whatever the
                // verdict (RFC 5321 4.1.1.4).
                byte[][] nextEnvelope = next == null ? NO_COMMANDS : envelope(next);
                write(END_OF_DATA, nextEnvelope);
                envelopeSent = next != null;
                verdict = reply();
            } catch (MessagingException | RuntimeException e) {
                outcomes.broken(i, e, endOfDataSent);
                throw e;
            }
            if (verdict.positive()) {
                outcomes.accepted(i);
            } else if (verdict.isVerdict()) {
                SMTPSendFailedException refusal = new SMTPSendFailedException(".", verdict.code(), verdict.text(), null,
                        null, null, null);
                outcomes.refused(i, refusal);
                // An RSET cannot go before a next envelope that went out with the content; that one needs none.
                resetNeeded = !envelopeSent;
                if (SmtpFailure.of(refusal).connectionLost()) {
                    throw refusal; // 421: the relay is closing this connection
                }
            } else {
                MessagingException garbled = outOfStep("reply to the end of data: " + verdict.text());
                outcomes.broken(i, garbled, true);
                throw garbled;
            }
        }
    }

    private static byte[][] envelope(MimeWriter.WireMessage message) throws MessagingException {
        return new byte[][] {command("MAIL FROM:<" + message.sender() + ">" + (message.eightBit() ? " BODY=8BITMIME" : "")),
                command("RCPT TO:<" + message.recipient() + ">"), DATA};
    }

    /** Writes RSET (when a transaction failed), MAIL, RCPT and DATA at once, unless already sent, and reads the replies. */
    private void sendEnvelopePipelined(MimeWriter.WireMessage message, boolean alreadySent) throws MessagingException {
        boolean reset = resetNeeded && !alreadySent;
        if (!alreadySent) {
            write(reset ? RSET : NOTHING, envelope(message));
        }
        resetNeeded = false;
        if (reset) {
            checkReset(reply());
        }
        // Read all three before judging: a relay that refuses MAIL (421 and hang up, say) leaves no reply for the others.
        Reply mail = replyOrEnd();
        Reply rcpt = mail.ended() ? mail : replyOrEnd();
        Reply data = rcpt.ended() ? rcpt : replyOrEnd();
        if (data.code() == START_MAIL_INPUT && !(mail.positive() && rcpt.positive())) {
            // RFC 2920 says a relay must refuse DATA here; one that does not gets an empty message to end it.
            write(END_OF_DATA);
            reply();
        }
        checkSender(message.sender(), present(mail));
        checkRecipient(message.recipient(), present(rcpt));
        checkData(present(data));
    }

    private void sendEnvelopeStepByStep(MimeWriter.WireMessage message) throws MessagingException {
        if (resetNeeded) {
            write(RSET);
            resetNeeded = false;
            checkReset(reply());
        }
        byte[][] envelope = envelope(message);
        write(envelope[0]);
        checkSender(message.sender(), reply());
        write(envelope[1]);
        checkRecipient(message.recipient(), reply());
        write(envelope[2]);
        checkData(reply());
    }

    private static void checkData(Reply data) throws MessagingException {
        if (data.code() != START_MAIL_INPUT) {
            throw new SMTPSendFailedException("DATA", data.code(), data.text(), null, null, null, null);
        }
    }

    private record Reply(int code, String text) {
        boolean positive() {
            return code / 100 == 2;
        }

        /** Angus reads the relay closing the connection, or a line that is no reply, as code -1. */
        boolean ended() {
            return code < 0;
        }

        /** A refusal of the message itself, as opposed to a garbled or unexpected reply. */
        boolean isVerdict() {
            return code >= 400 && code < 600;
        }
    }

    /** The next reply; the connection ending instead is an I/O failure. */
    private Reply reply() throws MessagingException {
        return present(replyOrEnd());
    }

    private Reply replyOrEnd() throws MessagingException {
        int code = readServerResponse();
        return new Reply(code, getLastServerResponse());
    }

    private static Reply present(Reply reply) throws MessagingException {
        if (reply.ended()) {
            throw new MessagingException("no reply from the relay: " + reply.text(),
                    new EOFException("the relay closed the connection or sent no valid reply (" + reply.text() + ")"));
        }
        return reply;
    }

    private static void checkSender(String sender, Reply reply) throws MessagingException {
        if (!reply.positive()) {
            throw new SMTPSenderFailedException(new InternetAddress(sender), "MAIL FROM", reply.code(), reply.text());
        }
    }

    private static void checkRecipient(String recipient, Reply reply) throws MessagingException {
        if (!reply.positive()) {
            throw new SMTPAddressFailedException(new InternetAddress(recipient), "RCPT TO", reply.code(), reply.text());
        }
    }

    private static void checkReset(Reply reply) throws MessagingException {
        if (!reply.positive()) {
            throw outOfStep("relay did not accept RSET: " + reply.text());
        }
    }

    /** A conversation out of step: the connection cannot be trusted any more (classified as lost, retryable). */
    private static MessagingException outOfStep(String what) {
        return new MessagingException(what, new IOException("SMTP conversation out of step: " + what));
    }

    private void write(byte[] first, byte[]... more) throws MessagingException {
        timed(() -> {
            out.write(first);
            for (byte[] part : more) {
                out.write(part);
            }
            out.flush();
        });
    }

    /** Writes without flushing; big parts still go straight to the socket. */
    private void put(byte[]... parts) throws MessagingException {
        timed(() -> {
            for (byte[] part : parts) {
                out.write(part);
            }
        });
    }

    private interface SocketWrite {
        void run() throws IOException;
    }

    private void timed(SocketWrite write) throws MessagingException {
        writingSince = Math.max(1, System.nanoTime());
        try {
            write.run();
        } catch (IOException e) {
            throw new MessagingException("cannot write to SMTP relay", e);
        } finally {
            writingSince = 0;
        }
    }

    @Override
    public synchronized void close() throws MessagingException {
        WATCHDOG.forget(this);
        super.close();
    }

    /** Closes the socket when a write has been under way for longer than the write timeout; the writer then fails. */
    boolean abortIfStalled(long now) {
        long since = writingSince;
        if (since == 0 || now - since < writeTimeout.toNanos()) {
            return false;
        }
        try {
            socket.close();
        } catch (IOException e) {
            // closing is all we can do
        }
        return true;
    }

    private static byte[] command(String text) throws MessagingException {
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
            throw new MessagingException("SMTP command contains a line break: " + text.strip());
        }
        return (text + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean endsWithCrlf(byte[] content) {
        return content.length >= 2 && content[content.length - 2] == '\r' && content[content.length - 1] == '\n';
    }

    /** RFC 5321 4.5.2: a line that starts with "." gets another one. {@link MimeWriter} output never needs it. */
    static byte[] dotStuffed(byte[] content) {
        int dots = content.length > 0 && content[0] == '.' ? 1 : 0;
        for (int i = 1; i < content.length; i++) {
            if (content[i] == '.' && content[i - 1] == '\n') {
                dots++;
            }
        }
        if (dots == 0) {
            return content;
        }
        byte[] stuffed = new byte[content.length + dots];
        int j = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '.' && (i == 0 || content[i - 1] == '\n')) {
                stuffed[j++] = '.';
            }
            stuffed[j++] = content[i];
        }
        return stuffed;
    }
}
