package io.mailcast.inbound;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounce listener's port and limits.
 *
 * @param port            TCP port, 0 for any free one (tests)
 * @param maxMessageBytes larger messages are refused with 552 (real DSNs and ARF reports are a few KB, plus the
 *                        returned message or its headers)
 * @param maxConnections  connections served at once; more wait for their turn
 * @param idleTimeout     a client silent this long is disconnected
 */
public record BounceListenerConfig(int port, int maxMessageBytes, int maxConnections, Duration idleTimeout) {

    public static final int DEFAULT_MAX_MESSAGE_BYTES = 512 * 1024;
    public static final int DEFAULT_MAX_CONNECTIONS = 50;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    public BounceListenerConfig {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--bounce-port must be between 1 and 65535, got " + port);
        }
        if (maxMessageBytes < 4096) {
            throw new IllegalArgumentException("the bounce listener's message limit must be at least 4096 bytes, got "
                    + maxMessageBytes);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("the bounce listener needs at least 1 connection, got " + maxConnections);
        }
        if (idleTimeout.toMillis() < 1000) {
            throw new IllegalArgumentException("the bounce listener's idle timeout must be at least 1 s, got " + idleTimeout);
        }
    }

    /** Defaults on {@code port}. */
    public static BounceListenerConfig onPort(int port) {
        return new BounceListenerConfig(port, DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_CONNECTIONS, DEFAULT_IDLE_TIMEOUT);
    }
}
