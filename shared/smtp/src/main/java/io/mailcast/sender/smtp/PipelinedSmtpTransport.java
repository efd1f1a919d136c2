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
    private static final byte[] NOTHING = {};
    private static final int START_MAIL_INPUT = 354;
    private static final WriteWatchdog WATCHDOG = new WriteWatchdog();

    private final RelaySockets sockets;
    private final Duration writeTimeout;
    private Socket socket;
    private OutputStream out;
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
        void accepted(int index);

        /** The relay refused this message (a 4xx or 5xx reply); the connection is still good. */
        void refused(int index, MessagingException reply);
    }

    /**
     * Sends {@code batch} in order. With PIPELINING each message costs one round trip: its content goes out in one
     * write with the next message's MAIL, RCPT and DATA (RFC 2920 lets message content open a group and DATA end
     * it). Without PIPELINING every command waits for its reply.
     *
     * @throws MessagingException when the connection failed or the conversation went out of step; the messages not
     *                            yet reported are unsettled, and the first of them may have been delivered
     */
    synchronized void send(List<MimeWriter.WireMessage> batch, Outcomes outcomes) throws MessagingException {
        checkConnected();
        boolean pipelining = supportsExtension("PIPELINING");
        boolean envelopeSent = false;
        for (int i = 0; i < batch.size(); i++) {
            MimeWriter.WireMessage message = batch.get(i);
            try {
                if (pipelining) {
                    if (!envelopeSent) {
                        write(envelope(message));
                    }
                    envelopeSent = false;
                    readEnvelopeReplies(message);
                } else {
                    sendEnvelopeStepByStep(message);
                }
            } catch (MessagingException e) {
                settleRefusal(i, e, outcomes);
                continue;
            }
            MimeWriter.WireMessage next = pipelining && i + 1 < batch.size() ? batch.get(i + 1) : null;
            byte[] content = dotStuffed(message.content());
            byte[] lineEnd = endsWithCrlf(content) ? NOTHING : CRLF;
            if (next == null) {
                write(content, lineEnd, END_OF_DATA);
            } else {
                byte[][] nextEnvelope = envelope(next);
                write(content, lineEnd, END_OF_DATA, nextEnvelope[0], nextEnvelope[1], nextEnvelope[2]);
                envelopeSent = true;
            }
            Reply accepted = reply();
            if (accepted.positive()) {
                outcomes.accepted(i);
            } else {
                settleRefusal(i, new SMTPSendFailedException(".", accepted.code(), accepted.text(), null, null, null, null),
                        outcomes);
            }
        }
    }

    /** A refusal is reported and the batch goes on; anything that leaves the connection in doubt ends it. */
    private static void settleRefusal(int index, MessagingException e, Outcomes outcomes) throws MessagingException {
        if (SmtpFailure.of(e).connectionLost()) {
            throw e;
        }
        outcomes.refused(index, e);
    }

    private static byte[][] envelope(MimeWriter.WireMessage message) throws MessagingException {
        return new byte[][] {command("MAIL FROM:<" + message.sender() + ">" + (message.eightBit() ? " BODY=8BITMIME" : "")),
                command("RCPT TO:<" + message.recipient() + ">"), DATA};
    }

    private void readEnvelopeReplies(MimeWriter.WireMessage message) throws MessagingException {
        Reply mail = reply();
        Reply rcpt = reply();
        Reply data = reply();
        if (data.code() == START_MAIL_INPUT && !(mail.positive() && rcpt.positive())) {
            // RFC 2920 says a relay must refuse DATA here; one that does not gets an empty message to end it.
            write(END_OF_DATA);
            reply();
        }
        checkSender(message.sender(), mail);
        checkRecipient(message.recipient(), rcpt);
        checkData(data);
    }

    private void sendEnvelopeStepByStep(MimeWriter.WireMessage message) throws MessagingException {
        byte[][] envelope = envelope(message);
        write(envelope[0]);
        checkSender(message.sender(), reply());
        write(envelope[1]);
        checkRecipient(message.recipient(), reply());
        write(envelope[2]);
        checkData(reply());
    }

    private void checkData(Reply data) throws MessagingException {
        if (data.code() != START_MAIL_INPUT) {
            throw reset(new SMTPSendFailedException("DATA", data.code(), data.text(), null, null, null, null));
        }
    }

    private record Reply(int code, String text) {
        boolean positive() {
            return code / 100 == 2;
        }
    }

    private Reply reply() throws MessagingException {
        int code = readServerResponse();
        return new Reply(code, getLastServerResponse());
    }

    private static void checkSender(String sender, Reply reply) throws MessagingException {
        if (!reply.positive()) {
            throw new SMTPSenderFailedException(new InternetAddress(sender), "MAIL FROM", reply.code(), reply.text());
        }
    }

    private void checkRecipient(String recipient, Reply reply) throws MessagingException {
        if (!reply.positive()) {
            throw reset(new SMTPAddressFailedException(new InternetAddress(recipient), "RCPT TO", reply.code(), reply.text()));
        }
    }

    /** Ends the open transaction (MAIL was accepted) before reporting {@code failure}; RSET failing loses the link. */
    private MessagingException reset(MessagingException failure) throws MessagingException {
        write(command("RSET"));
        if (!reply().positive()) {
            MessagingException lost = new MessagingException("relay did not accept RSET: " + getLastServerResponse(),
                    new IOException("SMTP conversation out of step"));
            lost.addSuppressed(failure);
            throw lost;
        }
        return failure;
    }

    private void write(byte[]... parts) throws MessagingException {
        writingSince = Math.max(1, System.nanoTime());
        try {
            for (byte[] part : parts) {
                out.write(part);
            }
            out.flush();
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
