package io.mailcast.node;

import io.mailcast.sender.relay.RelayConfig;
import io.mailcast.sender.relay.RelayEndpoint;
import io.mailcast.sender.relay.RelaySet;
import io.mailcast.sender.relay.RoutingPolicy;
import io.mailcast.sender.relay.Throttling;
import io.mailcast.sender.smtp.SmtpConfig;
import io.mailcast.sender.smtp.SmtpEndpoint;
import io.mailcast.sender.smtp.TlsMode;
import org.bson.Document;
import org.bson.json.JsonParseException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a relays file: JSON, for example
 * <pre>{@code
 * { "coolDownSeconds": 600, "failuresBeforeDown": 5,
 *   "relays": [
 *     { "name": "primary", "host": "smtp.example.com", "port": 587, "tls": "starttls",
 *       "user": "mailer", "passwordEnv": "PRIMARY_SMTP_PASSWORD",
 *       "weight": 3, "rate": 50, "perHour": 100000, "perDay": 1000000, "pool": 8 },
 *     { "name": "backup", "host": "10.0.0.7", "port": 25, "tls": "none", "weight": 1 },
 *     { "name": "sim", "simulated": true, "latencyMs": 20, "failureRate": 0.01 } ] }
 * }</pre>
 * A password is never written in the file: {@code passwordEnv} names an environment variable, {@code passwordFile} a
 * file (relative to the relays file) such as a mounted secret. Unknown keys are rejected, so a typo cannot silently
 * drop a limit.
 */
public final class RelaysFile {

    private static final Set<String> TOP_KEYS = Set.of("relays", "coolDownSeconds", "failuresBeforeDown",
            "maxRateWaitSeconds", "throttleQuietSeconds", "maxDownWaitSeconds");
    private static final Set<String> COMMON_KEYS = Set.of("name", "weight", "rate", "perHour", "perDay");
    private static final Set<String> SMTP_KEYS = Set.of("host", "port", "tls", "user", "passwordEnv", "passwordFile",
            "pool", "heloName");
    private static final Set<String> SIMULATED_KEYS = Set.of("simulated", "latencyMs", "failureRate");

    private final Path file;
    private final Map<String, String> env;

    private RelaysFile(Path file, Map<String, String> env) {
        this.file = file;
        this.env = env;
    }

    /**
     * @param env the process environment (for {@code passwordEnv}), usually {@code System.getenv()}
     * @throws IllegalArgumentException naming the file, the relay and what to change
     */
    public static RelaySet load(Path file, Map<String, String> env) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the relays file " + file + ": " + e, e);
        }
        return parse(json, file, env);
    }

    /** Parses relays-file text; {@code file} is used in messages and to resolve relative password files. */
    public static RelaySet parse(String json, Path file, Map<String, String> env) {
        Document root;
        try {
            root = Document.parse(json);
        } catch (JsonParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the relays file " + file + " is not valid JSON: " + e.getMessage(), e);
        }
        try {
            return new RelaysFile(file, env).relaySet(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("relays file " + file + ": " + e.getMessage(), e);
        }
    }

    private RelaySet relaySet(Document root) {
        checkKeys(root, TOP_KEYS, "the top level");
        RoutingPolicy defaults = RoutingPolicy.defaults();
        RoutingPolicy policy = defaults
                .withCoolDown(Duration.ofSeconds(longValue(root, "coolDownSeconds", defaults.coolDown().toSeconds(), "top level")))
                .withFailuresBeforeDown((int) longValue(root, "failuresBeforeDown", defaults.failuresBeforeDown(), "top level"))
                .withMaxRateWait(Duration.ofSeconds(longValue(root, "maxRateWaitSeconds", defaults.maxRateWait().toSeconds(), "top level")))
                .withMaxDownWait(Duration.ofSeconds(longValue(root, "maxDownWaitSeconds", defaults.maxDownWait().toSeconds(), "top level")));
        if (root.containsKey("throttleQuietSeconds")) {
            Throttling t = policy.throttling();
            policy = policy.withThrottling(new Throttling(t.settle(),
                    Duration.ofSeconds(longValue(root, "throttleQuietSeconds", 0, "top level")), t.minFactor()));
        }
        if (!(root.get("relays") instanceof List<?> entries) || entries.isEmpty()) {
            throw new IllegalArgumentException("\"relays\" must be a non-empty list of relays");
        }
        List<RelayConfig> relays = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (!(entries.get(i) instanceof Document entry)) {
                throw new IllegalArgumentException("relay #" + (i + 1) + " is not an object");
            }
            relays.add(relay(entry, i + 1));
        }
        return new RelaySet(relays, policy);
    }

    private RelayConfig relay(Document entry, int position) {
        if (!(entry.get("name") instanceof String name) || name.isBlank()) {
            throw new IllegalArgumentException("relay #" + position + " has no \"name\"");
        }
        String where = "relay '" + name + "'";
        if (entry.containsKey("password")) {
            throw new IllegalArgumentException(where + ": an inline \"password\" is not allowed, it would sit in plain text "
                    + "in the file; use \"passwordEnv\": \"VARIABLE\" or \"passwordFile\": \"/run/secrets/...\" instead");
        }
        boolean simulated = Boolean.TRUE.equals(entry.get("simulated"));
        Set<String> allowed = new TreeSet<>(COMMON_KEYS);
        allowed.addAll(simulated ? SIMULATED_KEYS : SMTP_KEYS);
        checkKeys(entry, allowed, where);
        RelayEndpoint endpoint = simulated
                ? new RelayEndpoint.Simulated(Duration.ofMillis(longValue(entry, "latencyMs", 0, where)),
                        doubleValue(entry, "failureRate", 0, where))
                : new SmtpEndpoint(smtpConfig(entry, name, where));
        long weight = longValue(entry, "weight", 1, where);
        if (weight > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(where + ": weight " + weight + " is too large");
        }
        return new RelayConfig(name, endpoint, (int) weight, doubleValue(entry, "rate", 0, where),
                longValue(entry, "perHour", 0, where), longValue(entry, "perDay", 0, where));
    }

    private SmtpConfig smtpConfig(Document entry, String name, String where) {
        if (!(entry.get("host") instanceof String host)) {
            throw new IllegalArgumentException(where + ": \"host\" is missing (or add \"simulated\": true)");
        }
        long port = longValue(entry, "port", 25, where);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(where + ": port must be between 1 and 65535, got " + port);
        }
        SmtpConfig config = SmtpConfig.of(host, (int) port).withName(name);
        if (entry.containsKey("tls")) {
            config = config.withTls(tls(stringValue(entry, "tls", where), where));
        }
        String user = entry.containsKey("user") ? stringValue(entry, "user", where) : null;
        String relayPassword = password(entry, where);
        if (user == null && relayPassword != null) {
            throw new IllegalArgumentException(where + ": a password source is given but no \"user\"");
        }
        if (user != null && relayPassword == null) {
            throw new IllegalArgumentException(where + ": \"user\" needs \"passwordEnv\" or \"passwordFile\"");
        }
        config = config.withCredentials(user, relayPassword);
        if (entry.containsKey("pool")) {
            config = config.withPoolSize((int) longValue(entry, "pool", 0, where));
        }
        if (entry.containsKey("heloName")) {
            config = config.withHeloName(stringValue(entry, "heloName", where));
        }
        return config;
    }

    private String password(Document entry, String where) {
        boolean fromEnv = entry.containsKey("passwordEnv");
        boolean fromFile = entry.containsKey("passwordFile");
        if (fromEnv && fromFile) {
            throw new IllegalArgumentException(where + ": give \"passwordEnv\" or \"passwordFile\", not both");
        }
        if (fromEnv) {
            String variable = stringValue(entry, "passwordEnv", where);
            String value = env.get(variable);
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException(where + ": the environment variable " + variable
                        + " (its \"passwordEnv\") is not set");
            }
            return value;
        }
        if (fromFile) {
            Path passwordFile = Path.of(stringValue(entry, "passwordFile", where));
            Path resolved = file.toAbsolutePath().getParent() == null ? passwordFile
                    : file.toAbsolutePath().getParent().resolve(passwordFile);
            String content;
            try {
                content = Files.readString(resolved, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException(where + ": cannot read the password file " + resolved + ": " + e, e);
            }
            String password = content.replaceFirst("[\\r\\n]+$", "");
            if (password.isEmpty()) {
                throw new IllegalArgumentException(where + ": the password file " + resolved + " is empty");
            }
            return password;
        }
        return null;
    }

    private static TlsMode tls(String value, String where) {
        try {
            return TlsMode.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": \"tls\" must be none, starttls or tls, got '" + value + "'");
        }
    }

    private static void checkKeys(Document document, Set<String> allowed, String where) {
        for (String key : document.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown key \"" + key + "\"; allowed: " + new TreeSet<>(allowed));
            }
        }
    }

    private static String stringValue(Document document, String key, String where) {
        if (!(document.get(key) instanceof String value)) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" must be a string");
        }
        return value;
    }

    private static long longValue(Document document, String key, long fallback, String where) {
        Object value = document.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Integer || value instanceof Long) {
            long number = ((Number) value).longValue();
            if (number < 0) {
                throw new IllegalArgumentException(where + ": \"" + key + "\" must not be negative, got " + number);
            }
            return number;
        }
        throw new IllegalArgumentException(where + ": \"" + key + "\" must be a whole number, got " + value);
    }

    private static double doubleValue(Document document, String key, double fallback, String where) {
        Object value = document.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        throw new IllegalArgumentException(where + ": \"" + key + "\" must be a number, got " + value);
    }
}
