package io.mailcast.sender.smtp;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import jakarta.mail.internet.InternetAddress;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus Mail's SMTP transport, with one more way to send: a message already serialised for the DATA phase
 * ({@link MimeWriter}), written in one piece, with MAIL, RCPT and DATA sent together when the relay offers
 * PIPELINING (RFC 2920). Angus still opens the connection, says EHLO, negotiates STARTTLS or implicit TLS,
 * authenticates, probes with NOOP and quits.
 *
 * <p>Why: Angus' own {@code sendMessage} re-encodes the MIME tree through a byte-at-a-time stream chain and waits
 * for four replies per message. Profiles put two thirds of a node's CPU there; this path costs two waits and two
 * socket writes per message.
 *
 * <p>Replies are read by Angus and failures thrown as Angus' own exception types, so {@link SmtpFailure} classifies
 * both paths the same way. Writes go straight to the socket Angus ended up with, which {@link RelaySockets} hands
 * over; java.net sockets have no write timeout, so a {@link WriteWatchdog} closes the socket of a write that stalls.
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

    /**
     * Sends one message to one recipient.
     *
     * @param sender    envelope sender, an ASCII address
     * @param recipient envelope recipient, an ASCII address
     * @param content   the message in wire form: CRLF line ends, ending with CRLF, without the final "."
     * @throws SMTPSenderFailedException  when the relay refuses the sender
     * @throws SMTPAddressFailedException when the relay refuses the recipient
     * @throws SMTPSendFailedException    when the relay refuses DATA or the message, or answers out of step
     * @throws MessagingException         with an {@link IOException} cause when the connection failed
     */
    synchronized void send(String sender, String recipient, byte[] content) throws MessagingException {
        checkConnected();
        byte[] mail = command("MAIL FROM:<" + sender + ">");
        byte[] rcpt = command("RCPT TO:<" + recipient + ">");
        Reply data;
        if (supportsExtension("PIPELINING")) {
            write(mail, rcpt, DATA);
            Reply mailReply = reply();
            Reply rcptReply = reply();
            data = reply();
            if (data.code() == START_MAIL_INPUT && !(mailReply.positive() && rcptReply.positive())) {
                // RFC 2920 says a relay must refuse DATA here; one that does not gets an empty message to end it.
                write(END_OF_DATA);
                reply();
            }
            checkSender(sender, mailReply);
            checkRecipient(recipient, rcptReply);
        } else {
            write(mail);
            checkSender(sender, reply());
            write(rcpt);
            checkRecipient(recipient, reply());
            write(DATA);
            data = reply();
        }
        if (data.code() != START_MAIL_INPUT) {
            throw reset(new SMTPSendFailedException("DATA", data.code(), data.text(), null, null, null, null));
        }
        write(dotStuffed(content), endsWithCrlf(content) ? NOTHING : CRLF, END_OF_DATA);
        Reply accepted = reply();
        if (!accepted.positive()) {
            throw new SMTPSendFailedException(".", accepted.code(), accepted.text(), null, null, null, null);
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
