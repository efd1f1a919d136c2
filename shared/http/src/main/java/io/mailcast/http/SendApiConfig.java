package io.mailcast.http;

/**
 * The send API's listener and request limits, validated once.
 *
 * @param port            port to listen on; 0 picks a free one (tests)
 * @param maxMessageBytes largest body of {@code POST /v1/messages}; larger ones get 413
 * @param maxBatchBytes   largest body of {@code POST /v1/messages:batch}
 * @param maxBatchItems   most messages in one batch
 */
public record SendApiConfig(int port, int maxMessageBytes, int maxBatchBytes, int maxBatchItems) {

    public static final int MIB = 1024 * 1024;

    public SendApiConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--api-port must be between 1 and 65535, got " + port);
        }
        if (maxMessageBytes < 1024 || maxBatchBytes < maxMessageBytes || maxBatchItems < 1) {
            throw new IllegalArgumentException("the send API's size limits must be at least 1 KiB, a batch at least one "
                    + "message");
        }
    }

    /** 1 MiB per message, 10 MiB and 1,000 messages per batch. */
    public static SendApiConfig onPort(int port) {
        return new SendApiConfig(port, MIB, 10 * MIB, 1_000);
    }
}
