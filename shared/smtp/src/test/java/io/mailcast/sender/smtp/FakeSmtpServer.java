package io.mailcast.sender.smtp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Just enough of an SMTP server (EHLO/HELO, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT) to test how
 * {@link SmtpSender} handles relay failures. Each transaction takes the next queued {@link Fault}.
 *
 * <p>It keeps RFC 5321's session state as strictly as postfix does: a refused RCPT or DATA leaves the transaction open
 * until RSET (or the end of data), and a MAIL inside an open transaction gets {@code 503 5.5.1 Error: nested MAIL
 * command}; RCPT without MAIL and DATA without RCPT get 503 too. It counts what it stored per recipient and logs every
 * command verb it read, so tests can check who got how many copies and where RSET went.
 */
final class FakeSmtpServer implements AutoCloseable {

    enum Fault {
        NONE,
        /** 451 to RCPT TO. */
        TEMP_FAIL_RCPT,
        /** 550 to RCPT TO. */
        PERM_FAIL_RCPT,
        /** 451 after the message data. */
        TEMP_FAIL_DATA,
        /** 554 after the message data. */
        PERM_FAIL_DATA,
        /** 421 to MAIL FROM, then hang up, as a relay shutting down does. */
        SERVICE_CLOSING,
        /** Close the socket on MAIL FROM without a reply. */
        DROP_AT_MAIL,
        /** Wait {@link #slowReplyDelay} before answering the message data. */
        SLOW_DATA_REPLY,
        /** Answer DATA with 354, then stop reading for {@link #slowReplyDelay}, as a stuck relay does. */
        STALL_IN_DATA,
        /** 451 to MAIL FROM: no transaction starts. */
        TEMP_FAIL_MAIL,
        /** 554 to DATA, so no 354: the transaction stays open until RSET. */
        REFUSE_DATA,
        /** 503 to MAIL FROM, as postfix answers a MAIL inside an open transaction. */
        BAD_SEQUENCE_MAIL,
        /** Store the message when its final dot arrives, then hang up without a reply: the sender cannot know. */
        DROP_AFTER_DOT,
        /** Hang up when the final dot arrives, without storing the message. */
        DROP_AFTER_DOT_UNSTORED
    }

    /** @param mailFrom the reverse path; @param mailParameters what followed it on the MAIL command, such as BODY=8BITMIME */
    record Received(String mailFrom, String mailParameters, List<String> recipients, String data) {
    }

    private final ServerSocket server;
    private final boolean extensions;
    private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final AtomicInteger nestedMails = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile Duration slowReplyDelay = Duration.ofSeconds(2);
    private volatile String requiredUser;
    private volatile String requiredPassword;

    FakeSmtpServer() throws IOException {
        this(true);
    }

    /**
     * @param extensions whether EHLO offers PIPELINING (RFC 2920) and 8BITMIME (RFC 6152); commands are read in order
     *                   either way, and a message is accepted whatever its encoding
     */
    FakeSmtpServer(boolean extensions) throws IOException {
        this.extensions = extensions;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("fake-smtp-accept").start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    int connections() {
        return connections.get();
    }

    /** Connections still open. */
    int openConnections() {
        return open.size();
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** How many copies of a message to {@code recipient} were stored. */
    long receivedBy(String recipient) {
        return received.stream().filter(r -> r.recipients().contains(recipient)).count();
    }

    /** The verbs of every command read (MAIL, RCPT, DATA, RSET, ...), in order; {@code CONNECT} starts a connection. */
    List<String> commands() {
        return List.copyOf(commands);
    }

    /**
     * MAIL commands that came inside an open transaction: the sender skipped the RSET (not counting
     * {@link Fault#BAD_SEQUENCE_MAIL}). A pipelining sender's RCPT and DATA after a refused MAIL also get 503, as RFC
     * 2920 expects; those are fine.
     */
    int nestedMails() {
        return nestedMails.get();
    }

    void failNext(Fault... next) {
        faults.addAll(List.of(next));
    }

    void slowReplyDelay(Duration delay) {
        slowReplyDelay = delay;
    }

    void requireAuth(String user, String password) {
        requiredUser = user;
        requiredPassword = password;
    }

    /** Hangs up every open connection, as a relay does with idle ones. */
    void dropConnections() {
        open.forEach(FakeSmtpServer::closeQuietly);
    }

    @Override
    public void close() {
        closeQuietly(server);
        dropConnections();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                open.add(socket);
                Thread.ofVirtual().name("fake-smtp-session").start(() -> session(socket));
            } catch (IOException e) {
                return; // server closed
            }
        }
    }

    private void session(Socket socket) {
        try (socket) {
            new Session(socket).run();
        } catch (IOException | UncheckedIOException e) {
            // client or test hung up
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(socket);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // ignore: test cleanup
        }
    }

    /** One SMTP conversation. */
    private final class Session {
        private final BufferedReader in;
        private final OutputStream out;
        private boolean authenticated;
        private Fault fault = Fault.NONE;
        private String mailFrom;
        private String mailParameters;
        private final List<String> recipients = new ArrayList<>();

        Session(Socket socket) throws IOException {
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            this.out = socket.getOutputStream();
        }

        void run() throws IOException, InterruptedException {
            commands.add("CONNECT");
            reply("220 fake.test ESMTP ready");
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String upper = line.toUpperCase(Locale.ROOT);
                commands.add(upper.split("[ :]", 2)[0]);
                if (upper.startsWith("EHLO")) {
                    reply("250-fake.test\r\n" + (extensions ? "250-PIPELINING\r\n250-8BITMIME\r\n" : "")
                            + "250-AUTH PLAIN\r\n250 SMTPUTF8");
                } else if (upper.startsWith("HELO") || upper.startsWith("NOOP")) {
                    reply("250 OK");
                } else if (upper.startsWith("AUTH PLAIN")) {
                    auth(line.substring("AUTH PLAIN".length()).strip());
                } else if (upper.startsWith("MAIL FROM:")) {
                    if (!mail(line)) {
                        return;
                    }
                } else if (upper.startsWith("RCPT TO:")) {
                    rcpt(line);
                } else if (upper.equals("DATA")) {
                    if (!data()) {
                        return;
                    }
                } else if (upper.equals("RSET")) {
                    reset();
                    reply("250 OK");
                } else if (upper.equals("QUIT")) {
                    reply("221 bye");
                    return;
                } else {
                    reply("502 5.5.1 command not implemented");
                }
            }
        }

        private void auth(String initial) throws IOException {
            String response = initial;
            if (response.isEmpty()) {
                reply("334 ");
                response = in.readLine();
            }
            String[] parts = new String(Base64.getDecoder().decode(response), StandardCharsets.UTF_8).split("\0", -1);
            authenticated = parts.length == 3 && parts[1].equals(requiredUser) && parts[2].equals(requiredPassword);
            reply(authenticated ? "235 2.7.0 authenticated" : "535 5.7.8 bad credentials");
        }

        /** @return false when the connection is to be dropped */
        private boolean mail(String line) throws IOException {
            if (requiredUser != null && !authenticated) {
                reply("530 5.7.0 authentication required");
                return true;
            }
            if (mailFrom != null) {
                nestedMails.incrementAndGet();
                reply("503 5.5.1 Error: nested MAIL command");
                return true;
            }
            fault = faults.isEmpty() ? Fault.NONE : faults.poll();
            switch (fault) {
                case DROP_AT_MAIL -> {
                    return false;
                }
                case SERVICE_CLOSING -> {
                    reply("421 4.3.2 service shutting down");
                    return false;
                }
                case TEMP_FAIL_MAIL -> {
                    reply("451 4.3.0 <" + address(line) + ">: temporarily unable to accept mail");
                    fault = Fault.NONE;
                    return true;
                }
                case BAD_SEQUENCE_MAIL -> {
                    reply("503 5.5.1 Error: nested MAIL command");
                    fault = Fault.NONE;
                    return true;
                }
                default -> {
                    mailFrom = address(line);
                    mailParameters = line.substring(line.indexOf('>') + 1).strip();
                    reply("250 OK");
                    return true;
                }
            }
        }

        private void rcpt(String line) throws IOException {
            String recipient = address(line);
            if (mailFrom == null) {
                reply("503 5.5.1 Error: need MAIL command");
                return;
            }
            switch (fault) {
                case TEMP_FAIL_RCPT -> reply("451 4.3.0 <" + recipient + ">: temporarily rejected, try later");
                case PERM_FAIL_RCPT -> reply("550 5.1.1 <" + recipient + ">: mailbox unknown");
                default -> {
                    recipients.add(recipient);
                    reply("250 OK");
                }
            }
        }

        /** @return false when the connection is to be dropped */
        private boolean data() throws IOException, InterruptedException {
            if (mailFrom == null) {
                reply("503 5.5.1 Error: need RCPT command");
                return true;
            }
            if (recipients.isEmpty()) {
                reply("554 5.5.1 Error: no valid recipients");
                return true;
            }
            if (fault == Fault.REFUSE_DATA) {
                reply("554 5.7.1 Error: DATA refused by policy");
                return true;
            }
            reply("354 end data with <CR><LF>.<CR><LF>");
            if (fault == Fault.STALL_IN_DATA) {
                Thread.sleep(slowReplyDelay);
                throw new IOException("stalled on purpose");
            }
            StringBuilder data = new StringBuilder();
            for (String line = in.readLine(); line != null && !line.equals("."); line = in.readLine()) {
                data.append(line.startsWith(".") ? line.substring(1) : line).append("\r\n");
            }
            switch (fault) {
                case SLOW_DATA_REPLY -> {
                    Thread.sleep(slowReplyDelay);
                    accept(data);
                }
                case TEMP_FAIL_DATA -> reply("451 4.7.1 greylisted, come back later");
                case PERM_FAIL_DATA -> reply("554 5.7.1 message rejected as spam");
                case DROP_AFTER_DOT -> {
                    store(data);
                    return false;
                }
                case DROP_AFTER_DOT_UNSTORED -> {
                    return false;
                }
                default -> accept(data);
            }
            reset();
            return true;
        }

        private void accept(StringBuilder data) throws IOException {
            store(data);
            reply("250 2.0.0 queued");
        }

        private void store(StringBuilder data) {
            received.add(new Received(mailFrom, mailParameters, List.copyOf(recipients), data.toString()));
        }

        private void reset() {
            mailFrom = null;
            recipients.clear();
            fault = Fault.NONE;
        }

        private void reply(String text) throws IOException {
            out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        private static String address(String line) {
            int start = line.indexOf('<');
            int end = line.indexOf('>', start);
            return start < 0 || end < 0 ? line.substring(line.indexOf(':') + 1).strip() : line.substring(start + 1, end);
        }
    }
}
