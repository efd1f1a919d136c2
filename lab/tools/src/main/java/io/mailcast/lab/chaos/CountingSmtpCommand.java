package io.mailcast.lab.chaos;

import com.sun.net.httpserver.HttpServer;
import io.mailcast.cli.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * An SMTP receiver that accepts everything and counts messages per recipient, with its figures over HTTP: what the
 * multi-host test (scripts/netns-cluster.sh --sender smtp) compares with a campaign's sent and uncertain counts.
 */
@Command(name = "counting-smtp", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Runs an SMTP receiver that counts messages per recipient until Ctrl-C; GET /counts on the "
                + "stats port answers {\"messages\":N,\"recipients\":R,\"duplicates\":D,\"maxPerRecipient\":M}.")
public final class CountingSmtpCommand implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "2525", description = "SMTP port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--stats-port", defaultValue = "2580", description = "HTTP port of /counts (default: ${DEFAULT-VALUE})")
    int statsPort;

    @Option(names = "--delay-ms", defaultValue = "0",
            description = "Wait before each 250 reply, like a relay's latency (default: ${DEFAULT-VALUE})")
    long delayMs;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (delayMs < 0 || delayMs > 60_000) {
            throw new IllegalArgumentException("--delay-ms must be between 0 and 60000, got " + delayMs);
        }
        InetAddress address = InetAddress.getByName(host);
        CountingSmtpServer smtp = CountingSmtpServer.start(address, port, Duration.ofMillis(delayMs),
                Duration.ofMillis(delayMs));
        HttpServer stats = HttpServer.create(new InetSocketAddress(address, statsPort), 16);
        stats.createContext("/counts", exchange -> {
            byte[] body = json(smtp.counts()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        stats.start();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stats.stop(0);
            smtp.close();
            stop.countDown();
        }));
        System.out.printf("counting SMTP receiver on %s:%d, counts at http://%s:%d/counts%n", host, smtp.port(), host,
                statsPort);
        stop.await();
        return Cli.OK;
    }

    static String json(Map<String, Integer> perRecipient) {
        long messages = perRecipient.values().stream().mapToLong(Integer::longValue).sum();
        int max = perRecipient.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        return String.format("{\"messages\":%d,\"recipients\":%d,\"duplicates\":%d,\"maxPerRecipient\":%d}", messages,
                perRecipient.size(), messages - perRecipient.size(), max);
    }
}
