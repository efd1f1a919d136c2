package io.mailcast.lab.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An SMTP receiver for the chaos test: speaks enough ESMTP for Jakarta Mail / Angus (220 greeting, EHLO/HELO, MAIL
 * FROM, RCPT TO, DATA, RSET, NOOP, QUIT), accepts every message and counts it per envelope recipient, separately for
 * each campaign (read from the {@value #CAMPAIGN_HEADER} header; messages without it count under {@code ""}).
 *
 * <p>A message is counted the moment its final {@code "."} arrives, <em>before</em> the optional artificial delay
 * and the {@code 250} reply. So a sender killed during that delay has delivered a message it never learned about:
 * the worst case a real relay presents, and exactly the "in flight" window the crash-safety promise is about.
 *
 * <p>On demand ({@link #dropAfterDot}) it hangs up on a share of messages right after counting them, without a
 * reply: a relay that loses the connection after the final dot, when the sender cannot know whether it got the message.
 *
 * <p>Binds to loopback only. One virtual thread per connection.
 */
public final class CountingSmtpServer implements AutoCloseable {

    public static final String CAMPAIGN_HEADER = "X-Mailcast-Campaign";

    private final ServerSocket server;
    private final long minDelayMillis;
    private final long maxDelayMillis;
    private final Map<String, Map<String, AtomicInteger>> byCampaign = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> totals = new ConcurrentHashMap<>();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private volatile double dropShare;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private CountingSmtpServer(ServerSocket server, Duration minDelay, Duration maxDelay) {
        this.server = server;
        this.minDelayMillis = minDelay.toMillis();
        this.maxDelayMillis = Math.max(minDelay.toMillis(), maxDelay.toMillis());
    }

    /**
     * Starts listening on 127.0.0.1:{@code port} ({@code 0} picks a free port). Each accepted message waits a random
     * time between {@code minDelay} and {@code maxDelay} after being counted and before its {@code 250} reply.
     */
    public static CountingSmtpServer start(int port, Duration minDelay, Duration maxDelay) throws IOException {
        return start(InetAddress.getLoopbackAddress(), port, minDelay, maxDelay);
    }

    /** As {@link #start(int, Duration, Duration)}, listening on {@code host} (a network namespace's own address). */
    public static CountingSmtpServer start(InetAddress host, int port, Duration minDelay, Duration maxDelay)
            throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(host, port), 512);
        CountingSmtpServer smtp = new CountingSmtpServer(socket, minDelay, maxDelay);
        Thread.ofVirtual().name("counting-smtp-accept").start(smtp::acceptLoop);
        return smtp;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Messages accepted so far (all campaigns; one per recipient of a message). */
    public long total() {
        return messages.get();
    }

    /** Messages accepted so far for one campaign, counting one per recipient. */
    public long total(String campaignId) {
        AtomicLong t = totals.get(campaignId);
        return t == null ? 0 : t.get();
    }

    /** A snapshot: envelope recipient to number of messages accepted for it, for one campaign. */
    public Map<String, Integer> counts(String campaignId) {
        Map<String, AtomicInteger> live = byCampaign.get(campaignId);
        Map<String, Integer> copy = new HashMap<>();
        if (live != null) {
            live.forEach((k, v) -> copy.put(k, v.get()));
        }
        return copy;
    }

    /** A snapshot over all campaigns: envelope recipient to number of messages. */
    public Map<String, Integer> counts() {
        Map<String, Integer> copy = new HashMap<>();
        byCampaign.values().forEach(m -> m.forEach((k, v) -> copy.merge(k, v.get(), Integer::sum)));
        return copy;
    }

    /** Forgets all counts. */
    public void reset() {
        byCampaign.clear();
        totals.clear();
        messages.set(0);
        dropped.set(0);
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** From now on hang up on this share (0 to 1) of messages after counting them, instead of answering 250. */
    public void dropAfterDot(double share) {
        if (share < 0 || share > 1) {
            throw new IllegalArgumentException("drop share must be between 0 and 1, got " + share);
        }
        dropShare = share;
    }

    /** Connections hung up after the final dot so far (their messages were counted). */
    public long droppedAfterDot() {
        return dropped.get();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        open.forEach(CountingSmtpServer::closeQuietly);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                open.add(socket);
                Thread.ofVirtual().name("counting-smtp-session").start(() -> session(socket));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void session(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            new Session(socket).run();
        } catch (IOException e) {
            // the client hung up (or was killed): nothing to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(socket);
        }
    }

    private void count(String campaign, List<String> recipients) {
        Map<String, AtomicInteger> perRecipient = byCampaign.computeIfAbsent(campaign, c -> new ConcurrentHashMap<>());
        AtomicLong total = totals.computeIfAbsent(campaign, c -> new AtomicLong());
        for (String r : recipients) {
            perRecipient.computeIfAbsent(r, k -> new AtomicInteger()).incrementAndGet();
            total.incrementAndGet();
            messages.incrementAndGet();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing anyway
        }
    }

    /** One SMTP conversation. */
    private final class Session {
        private final BufferedReader in;
        private final OutputStream out;
        private String mailFrom;
        private final List<String> recipients = new ArrayList<>();

        Session(Socket socket) throws IOException {
            // ISO-8859-1 maps every byte to one char: 8-bit content can never break the line reader.
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            this.out = socket.getOutputStream();
        }

        void run() throws IOException, InterruptedException {
            reply("220 chaos.mailcast.test ESMTP counting receiver");
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String upper = line.toUpperCase(Locale.ROOT);
                if (upper.startsWith("EHLO")) {
                    reply("250-chaos.mailcast.test\r\n250-SIZE 10485760\r\n250 HELP");
                } else if (upper.startsWith("HELO")) {
                    reply("250 chaos.mailcast.test");
                } else if (upper.startsWith("NOOP")) {
                    reply("250 2.0.0 OK");
                } else if (upper.startsWith("MAIL FROM:")) {
                    reset();
                    mailFrom = address(line.substring("MAIL FROM:".length()));
                    reply("250 2.1.0 OK");
                } else if (upper.startsWith("RCPT TO:")) {
                    if (mailFrom == null) {
                        reply("503 5.5.1 MAIL first");
                    } else {
                        recipients.add(address(line.substring("RCPT TO:".length())));
                        reply("250 2.1.5 OK");
                    }
                } else if (upper.equals("DATA")) {
                    if (recipients.isEmpty()) {
                        reply("503 5.5.1 RCPT first");
                    } else if (!data()) {
                        return;
                    }
                } else if (upper.equals("RSET")) {
                    reset();
                    reply("250 2.0.0 OK");
                } else if (upper.equals("QUIT")) {
                    reply("221 2.0.0 bye");
                    return;
                } else {
                    reply("502 5.5.1 command not implemented");
                }
            }
        }

        /** @return false when the client hung up before the end of the data, or this receiver hangs up after it */
        private boolean data() throws IOException, InterruptedException {
            reply("354 end data with <CR><LF>.<CR><LF>");
            String campaign = "";
            boolean inHeaders = true;
            String lastHeader = null;
            for (String line = in.readLine(); ; line = in.readLine()) {
                if (line == null) {
                    return false; // connection lost mid-message: not delivered
                }
                if (line.equals(".")) {
                    break;
                }
                if (inHeaders) {
                    if (line.isEmpty()) {
                        inHeaders = false;
                    } else if ((line.startsWith(" ") || line.startsWith("\t")) && lastHeader != null) {
                        if (lastHeader.equalsIgnoreCase(CAMPAIGN_HEADER)) {
                            campaign = campaign + line.strip();
                        }
                    } else {
                        int colon = line.indexOf(':');
                        lastHeader = colon < 0 ? null : line.substring(0, colon).strip();
                        if (lastHeader != null && lastHeader.equalsIgnoreCase(CAMPAIGN_HEADER)) {
                            campaign = line.substring(colon + 1).strip();
                        }
                    }
                }
            }
            count(campaign, recipients);
            if (dropShare > 0 && ThreadLocalRandom.current().nextDouble() < dropShare) {
                dropped.incrementAndGet();
                return false;
            }
            long delay = maxDelayMillis <= 0 ? 0 : ThreadLocalRandom.current().nextLong(minDelayMillis, maxDelayMillis + 1);
            if (delay > 0) {
                Thread.sleep(delay);
            }
            reply("250 2.0.0 queued");
            reset();
            return true;
        }

        private void reset() {
            mailFrom = null;
            recipients.clear();
        }

        private void reply(String text) throws IOException {
            out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** The address in {@code <...>}, without ESMTP parameters; the bare text when there are no brackets. */
        private static String address(String rest) {
            int start = rest.indexOf('<');
            int end = rest.indexOf('>', start + 1);
            if (start >= 0 && end > start) {
                return rest.substring(start + 1, end);
            }
            String bare = rest.strip();
            int space = bare.indexOf(' ');
            return space < 0 ? bare : bare.substring(0, space);
        }
    }
}
