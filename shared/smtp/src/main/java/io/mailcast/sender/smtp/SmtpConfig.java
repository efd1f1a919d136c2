package io.mailcast.sender.smtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How one node talks to one SMTP relay.
 *
 * @param name           relay name reported in {@link io.mailcast.sender.SendResult#relay()}; blank means {@value #DEFAULT_NAME}
 * @param host           relay host name or IP address
 * @param port           relay port, 1..65535
 * @param tls            transport encryption
 * @param user           AUTH user, {@code null} (or blank) for no authentication
 * @param password       AUTH password, required with a user and forbidden without one; never printed by {@link #toString()}
 * @param connectTimeout limit for opening the TCP connection
 * @param readTimeout    limit for waiting on each server reply
 * @param writeTimeout   limit for each write to the socket (a stalled relay otherwise blocks DATA forever)
 * @param poolSize       connections this node keeps open to the relay, at least 1
 * @param heloName       name sent in EHLO/HELO, {@code null} (or blank) for the local host name
 */
public record SmtpConfig(
        String name,
        String host,
        int port,
        TlsMode tls,
        String user,
        String password,
        Duration connectTimeout,
        Duration readTimeout,
        Duration writeTimeout,
        int poolSize,
        String heloName) {

    public static final String DEFAULT_NAME = "smtp";
    /** Environment variable {@link #passwordFrom} reads the password from. */
    public static final String PASSWORD_ENV = "MAILCAST_SMTP_PASSWORD";

    private static final int SUBMISSIONS_PORT = 465;
    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DEFAULT_IO_TIMEOUT = Duration.ofSeconds(60);
    private static final int DEFAULT_POOL_SIZE = 4;

    public SmtpConfig {
        name = blankToNull(name) == null ? DEFAULT_NAME : name.strip();
        requireNoControlCharacters(name, "SMTP relay name");
        if (blankToNull(host) == null) {
            throw new IllegalArgumentException("SMTP host is missing; set it to the relay's host name, e.g. smtp.example.com");
        }
        host = host.strip();
        if (host.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException("SMTP host '" + host + "' contains whitespace or control characters");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("SMTP port must be between 1 and 65535, got " + port);
        }
        Objects.requireNonNull(tls, "SMTP TLS mode is missing; use NONE, STARTTLS or TLS");
        user = blankToNull(user);
        if (user == null && password != null) {
            throw new IllegalArgumentException("an SMTP password was given without a user; set the user as well, or drop the password");
        }
        if (user != null && password == null) {
            throw new IllegalArgumentException("SMTP user '" + user + "' has no password; set the " + PASSWORD_ENV
                    + " environment variable or give a password file");
        }
        if (user != null) {
            requireNoControlCharacters(user, "SMTP user");
        }
        requireUsableTimeout(connectTimeout, "connectTimeout");
        requireUsableTimeout(readTimeout, "readTimeout");
        requireUsableTimeout(writeTimeout, "writeTimeout");
        if (poolSize < 1) {
            throw new IllegalArgumentException("SMTP poolSize (connections per node) must be at least 1, got " + poolSize);
        }
        heloName = blankToNull(heloName);
        if (heloName != null && heloName.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new IllegalArgumentException("HELO name '" + heloName + "' must be a host name without spaces or control characters");
        }
    }

    /**
     * A configuration with defaults: no authentication, implicit TLS on port 465 and STARTTLS on any other port,
     * 10 s connect and 60 s read/write timeouts, {@value #DEFAULT_POOL_SIZE} connections.
     */
    public static SmtpConfig of(String host, int port) {
        return new SmtpConfig(DEFAULT_NAME, host, port, port == SUBMISSIONS_PORT ? TlsMode.TLS : TlsMode.STARTTLS,
                null, null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_IO_TIMEOUT, DEFAULT_IO_TIMEOUT, DEFAULT_POOL_SIZE, null);
    }

    public SmtpConfig withName(String newName) {
        return new SmtpConfig(newName, host, port, tls, user, password, connectTimeout, readTimeout, writeTimeout, poolSize, heloName);
    }

    public SmtpConfig withTls(TlsMode newTls) {
        return new SmtpConfig(name, host, port, newTls, user, password, connectTimeout, readTimeout, writeTimeout, poolSize, heloName);
    }

    public SmtpConfig withCredentials(String newUser, String newPassword) {
        return new SmtpConfig(name, host, port, tls, newUser, newPassword, connectTimeout, readTimeout, writeTimeout, poolSize, heloName);
    }

    public SmtpConfig withTimeouts(Duration connect, Duration read, Duration write) {
        return new SmtpConfig(name, host, port, tls, user, password, connect, read, write, poolSize, heloName);
    }

    public SmtpConfig withPoolSize(int newPoolSize) {
        return new SmtpConfig(name, host, port, tls, user, password, connectTimeout, readTimeout, writeTimeout, newPoolSize, heloName);
    }

    public SmtpConfig withHeloName(String newHeloName) {
        return new SmtpConfig(name, host, port, tls, user, password, connectTimeout, readTimeout, writeTimeout, poolSize, newHeloName);
    }

    /**
     * The SMTP password from the {@value #PASSWORD_ENV} environment variable or from a file (kept out of the command
     * line, where {@code ps} would show it). A trailing line break in the file is dropped.
     *
     * @param env          the process environment, usually {@code System.getenv()}
     * @param passwordFile file holding the password, {@code null} when not given
     * @return the password, or empty when neither source is set
     * @throws IllegalArgumentException when both are set, or the file is unreadable or empty
     */
    public static Optional<String> passwordFrom(Map<String, String> env, Path passwordFile) {
        String fromEnv = blankToNull(env.get(PASSWORD_ENV));
        if (fromEnv != null && passwordFile != null) {
            throw new IllegalArgumentException("the SMTP password is given twice, in " + PASSWORD_ENV
                    + " and in the password file " + passwordFile + "; keep only one");
        }
        if (fromEnv != null) {
            return Optional.of(fromEnv);
        }
        if (passwordFile == null) {
            return Optional.empty();
        }
        String content;
        try {
            content = Files.readString(passwordFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the SMTP password file " + passwordFile + ": " + e, e);
        }
        String password = content.replaceFirst("[\\r\\n]+$", "");
        if (password.isEmpty()) {
            throw new IllegalArgumentException("the SMTP password file " + passwordFile + " is empty");
        }
        return Optional.of(password);
    }

    /** Like the record default, but with the password masked. */
    @Override
    public String toString() {
        return "SmtpConfig[name=" + name + ", host=" + host + ", port=" + port + ", tls=" + tls
                + ", user=" + user + ", password=" + (password == null ? "<none>" : "******")
                + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + ", writeTimeout=" + writeTimeout
                + ", poolSize=" + poolSize + ", heloName=" + heloName + "]";
    }

    private static void requireUsableTimeout(Duration timeout, String what) {
        if (timeout == null) {
            throw new IllegalArgumentException("SMTP " + what + " is missing");
        }
        // Jakarta Mail takes whole milliseconds as an int, and 0 would mean "wait forever".
        if (timeout.toMillis() < 1) {
            throw new IllegalArgumentException("SMTP " + what + " must be at least 1 ms, got " + timeout);
        }
        if (timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("SMTP " + what + " must be at most " + Integer.MAX_VALUE + " ms, got " + timeout);
        }
    }

    private static void requireNoControlCharacters(String value, String what) {
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(what + " contains control characters");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
