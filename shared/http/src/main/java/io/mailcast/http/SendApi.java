package io.mailcast.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.mailcast.apikey.ApiKeyStore;
import io.mailcast.apikey.KeyRateLimiter;
import io.mailcast.message.MessageIntake;
import io.mailcast.message.MessageLimits;
import io.mailcast.message.MessageStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * The send API's HTTP server: Javalin on Jetty 12, each request on its own virtual thread. Every refusal is a 4xx (or a
 * 503 while the store is down) with {@code {"error": ..., "field": ...}}; an unexpected error is a 500 with the same
 * shape and is logged here, never shown to the caller.
 */
public final class SendApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SendApi.class);
    private static final String OPENAPI = "openapi.yaml";

    private final Javalin server;

    private SendApi(Javalin server) {
        this.server = server;
    }

    /** Starts listening on a node alone; the intake's dispatcher sends what it accepts. */
    public static SendApi start(SendApiConfig config, MessageIntake intake, MessageStore store, ApiKeyStore keys,
                                MessageLimits limits, Clock clock) {
        return start(config, intake, store, keys, limits, clock, () -> 1);
    }

    /** @param nodes how many nodes serve the API now: each admits its share of a key's rate */
    public static SendApi start(SendApiConfig config, MessageIntake intake, MessageStore store, ApiKeyStore keys,
                                MessageLimits limits, Clock clock, IntSupplier nodes) {
        var auth = new Authenticator(keys, new KeyRateLimiter(clock, nodes));
        var routes = new MessageRoutes(intake, store, auth, config, limits.maxRecipients(), clock);
        byte[] openapi = openApiDocument();
        var bodies = new JsonBodies();
        Javalin server = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.concurrency.useVirtualThreads = true;
            c.http.maxRequestSize = config.maxBatchBytes();
            c.routes.post("/v1/messages", routes::send);
            c.routes.post("/v1/messages:batch", routes::batch);
            c.routes.get("/v1/messages/{id}", routes::status);
            c.routes.delete("/v1/messages/{id}", routes::cancel);
            c.routes.get("/v1/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openapi));
            errors(c, bodies);
        }).start(config.port());
        log.info("send API listening on port {} (message limit {} bytes, batch {} bytes / {} messages)", server.port(),
                config.maxMessageBytes(), config.maxBatchBytes(), config.maxBatchItems());
        return new SendApi(server);
    }

    private static void errors(JavalinConfig c, JsonBodies bodies) {
        c.routes.exception(ApiError.class, (e, ctx) -> {
            if (e.retryAfter() != null) {
                ctx.header("Retry-After", Long.toString(Math.max(1, (e.retryAfter().toMillis() + 999) / 1000)));
            }
            bodies.write(ctx, e.status(), MessageJson.error(e.getMessage(), e.field()));
        });
        // Javalin's own refusals: no route, wrong method, a body over its limit.
        c.routes.exception(HttpResponseException.class, (e, ctx) ->
                bodies.write(ctx, e.getStatus(), MessageJson.error(e.getMessage(), null)));
        c.routes.exception(Exception.class, (e, ctx) -> {
            log.warn("send API request {} {} failed unexpectedly", ctx.method(), ctx.path(), e);
            bodies.write(ctx, 500, MessageJson.error("internal error", null));
        });
        for (int status : new int[]{404, 405, 413}) {
            c.routes.error(status, "*", ctx -> fillEmpty(ctx, bodies));
        }
    }

    /** Status codes Javalin set without a body of ours get the JSON shape too. */
    private static void fillEmpty(Context ctx, JsonBodies bodies) {
        String result = ctx.result();
        if (result == null || result.isEmpty() || !"application/json".equals(ctx.res().getContentType())) {
            String error = switch (ctx.statusCode()) {
                case 404 -> "no such endpoint: " + ctx.method() + " " + ctx.path() + "; see /v1/openapi.yaml";
                case 405 -> "method not allowed";
                default -> "request body too large";
            };
            bodies.write(ctx, ctx.statusCode(), MessageJson.error(error, null));
        }
    }

    private static byte[] openApiDocument() {
        try (InputStream in = SendApi.class.getResourceAsStream(OPENAPI)) {
            return Objects.requireNonNull(in, OPENAPI + " is packaged with this class").readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port it listens on (useful when started on port 0). */
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
        log.info("send API stopped");
    }
}
