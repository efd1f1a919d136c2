package io.mailcast.coordinator;

import io.mailcast.apikey.Webhook;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --webhook-url} with its signing secret, read from a file so that it stays out of shell history and logs. */
final class WebhookOptions {

    @Option(names = "--webhook-url", paramLabel = "URL",
            description = "Where the key's messages are reported (POST, JSON, signed): SENT, FAILED, bounces")
    String url;

    @Option(names = "--webhook-secret-file", paramLabel = "FILE",
            description = "File holding the secret the reports are signed with (HMAC-SHA256, at least "
                    + Webhook.MIN_SECRET_BYTES + " bytes); the receiver checks the Mailcast-Signature header with it")
    Path secretFile;

    boolean given() {
        return url != null || secretFile != null;
    }

    /** The webhook asked for; {@code null} when neither option was given and {@code required} is false. */
    Webhook webhook(boolean required) {
        if (!given() && !required) {
            return null;
        }
        if (url == null || secretFile == null) {
            throw new IllegalArgumentException("--webhook-url and --webhook-secret-file go together: the reports are "
                    + "always signed");
        }
        try {
            return new Webhook(url, Files.readString(secretFile, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --webhook-secret-file " + secretFile + ": "
                    + e.getClass().getSimpleName());
        }
    }
}
