package io.mailcast.http.validation;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mailcast.validation.Validator;
import io.mailcast.validation.ValidatorContract;
import io.mailcast.validation.ValidatorException;
import io.mailcast.validation.Verdict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The HTTP validator against a real local server (the JDK's): the verdict mapping, the key header, and a service that
 * is slow, fails, or answers garbage.
 */
class HttpValidatorTest extends ValidatorContract {

    private static final String KEY = "s3cret-key";

    private final HttpServer server = start();
    private final List<String> keysSeen = new CopyOnWriteArrayList<>();

    private HttpServer start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            s.createContext("/check", this::answer);
            s.createContext("/down", e -> reply(e, 503, "{\"error\":\"maintenance\"}"));
            s.start();
            return s;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void answer(HttpExchange e) throws IOException {
        keysSeen.add(String.valueOf(e.getRequestHeaders().getFirst("X-Api-Key")));
        String address = URLDecoder.decode(e.getRequestURI().getRawQuery().replaceFirst("^.*email=", ""),
                StandardCharsets.UTF_8);
        String local = address.substring(0, address.indexOf('@'));
        switch (local) {
            case "slow" -> {
                try {
                    Thread.sleep(1_500);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                reply(e, 200, "{\"data\":{\"status\":\"deliverable\"}}");
            }
            case "garbage" -> reply(e, 200, "<html>oops</html>");
            case "nofield" -> reply(e, 200, "{\"data\":{}}");
            case "busy" -> reply(e, 429, "{}");
            case "bad" -> reply(e, 200, "{\"data\":{\"status\":\"UNDELIVERABLE\"}}");
            case "odd" -> reply(e, 200, "{\"data\":{\"status\":\"catch-all\"}}");
            default -> reply(e, 200, "{\"data\":{\"status\":\"deliverable\"}}");
        }
    }

    private static void reply(HttpExchange e, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        e.getResponseHeaders().set("Content-Type", "application/json");
        e.sendResponseHeaders(status, bytes.length);
        e.getResponseBody().write(bytes);
        e.close();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpValidatorConfig config(String path, String key) {
        return config(path, key, Duration.ofSeconds(5));
    }

    private HttpValidatorConfig config(String path, String key, Duration timeout) {
        return new HttpValidatorConfig(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path), "email",
                "/data/status", Set.of("deliverable"), Set.of("undeliverable"), timeout, "X-Api-Key", key,
                3_000);
    }

    @Override
    protected Validator working() {
        return new HttpValidator(config("/check", KEY));
    }

    @Override
    protected Validator failing() {
        return new HttpValidator(config("/down", KEY));
    }

    @Test
    void mapsTheFieldToVerdictsAndSendsTheKey() throws Exception {
        Validator v = working();
        assertThat(v.check("ann+tag@example.com")).isEqualTo(Verdict.VALID);
        assertThat(v.check("bad@example.com")).isEqualTo(Verdict.INVALID);
        assertThat(v.check("odd@example.com")).isEqualTo(Verdict.UNKNOWN);
        assertThat(keysSeen).containsOnly(KEY);
        assertThat(v.name()).isEqualTo("http:127.0.0.1");
    }

    @Test
    void slowErrorAndGarbageAnswersAreErrorsNotVerdicts() {
        Validator v = working();
        Validator impatient = new HttpValidator(config("/check", KEY, Duration.ofMillis(300)));
        assertThatThrownBy(() -> impatient.check("slow@example.com")).isInstanceOf(ValidatorException.class)
                .hasMessageContaining("timed out");
        assertThatThrownBy(() -> v.check("garbage@example.com")).isInstanceOf(ValidatorException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> v.check("nofield@example.com")).isInstanceOf(ValidatorException.class)
                .hasMessageContaining("lacks the field");
        assertThatThrownBy(() -> v.check("busy@example.com")).isInstanceOf(ValidatorException.class)
                .hasMessageContaining("429");
        server.stop(0);
        assertThatThrownBy(() -> v.check("ann@example.com")).isInstanceOf(ValidatorException.class)
                .hasMessageContaining("unreachable");
    }

    @Test
    void theKeyComesFromEnvOrFileAndIsNeverShown(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("key"), "  " + KEY + "\n");
        assertThat(ApiKeySource.read(null, file, Map.of())).isEqualTo(KEY);
        assertThat(ApiKeySource.read("VALIDATOR_KEY", null, Map.of("VALIDATOR_KEY", KEY))).isEqualTo(KEY);
        assertThat(ApiKeySource.read(null, null, Map.of())).isNull();
        assertThatThrownBy(() -> ApiKeySource.read("MISSING", null, Map.of())).hasMessageContaining("MISSING")
                .hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> ApiKeySource.read(null, dir.resolve("nope"), Map.of()))
                .hasMessageContaining("cannot read");
        assertThat(config("/check", KEY).toString()).doesNotContain(KEY).contains("****");
    }

    @Test
    void badSettingsAreRefusedWithTheRule() {
        assertThatThrownBy(() -> new HttpValidatorConfig(URI.create("ftp://x/"), "email", "status", Set.of("ok"),
                Set.of("bad"), Duration.ofSeconds(1), "X-Api-Key", null, 0)).hasMessageContaining("http or https");
        assertThatThrownBy(() -> new HttpValidatorConfig(URI.create("http://x/"), "email", "status", Set.of("ok"),
                Set.of("OK"), Duration.ofSeconds(1), "X-Api-Key", null, 0)).hasMessageContaining("both valid and invalid");
    }
}
