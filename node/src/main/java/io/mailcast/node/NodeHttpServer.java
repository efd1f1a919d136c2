package io.mailcast.node;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.mailcast.suppression.SignedUnsubscribeLinks;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Health and metrics for orchestrators: /health/live, /health/ready, /metrics (Prometheus text format); and, when the
 * node has a public URL, the one-click unsubscribe endpoint for recipients.
 */
final class NodeHttpServer implements AutoCloseable {

    private final HttpServer server;

    private NodeHttpServer(HttpServer server) {
        this.server = server;
    }

    /** @param unsubscribe serves {@value SignedUnsubscribeLinks#PATH}; {@code null} when links are off */
    static NodeHttpServer start(int port, BooleanSupplier ready, Supplier<String> metrics, HttpHandler unsubscribe) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/health/live", ex -> reply(ex, 200, "text/plain", "live\n"));
            server.createContext("/health/ready", ex -> {
                boolean ok = ready.getAsBoolean();
                reply(ex, ok ? 200 : 503, "text/plain", ok ? "ready\n" : "not ready\n");
            });
            server.createContext("/metrics", ex -> reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
            if (unsubscribe != null) {
                server.createContext(SignedUnsubscribeLinks.PATH, unsubscribe);
            }
            server.start();
            return new NodeHttpServer(server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open --http-port " + port + " (" + e.getMessage()
                    + "); pick a free port or 0 to disable", e);
        }
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
