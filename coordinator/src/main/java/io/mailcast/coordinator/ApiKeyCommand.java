package io.mailcast.coordinator;

import io.mailcast.apikey.ApiKey;
import io.mailcast.apikey.ApiKeySecret;
import io.mailcast.apikey.Webhook;
import io.mailcast.cli.Cli;
import io.mailcast.sender.AddressValidator;
import io.mailcast.message.MessageStatus;
import io.mailcast.store.MongoApiKeyStore;
import io.mailcast.store.MongoMessageStore;
import io.mailcast.store.MongoConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code coordinator api-key}: keys for the send API, stored hashed in MongoDB; a key's secret is shown once. */
@Command(name = "api-key", mixinStandardHelpOptions = true,
        description = "Creates, lists and revokes keys for the send API (POST /v1/messages).",
        subcommands = {ApiKeyCommand.Create.class, ApiKeyCommand.ListKeys.class, ApiKeyCommand.Revoke.class,
                ApiKeyCommand.SetWebhook.class})
public final class ApiKeyCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates a key and prints its secret on standard output, once: only its hash is stored.")
    static final class Create implements Callable<Integer> {

        private static final SecureRandom RANDOM = new SecureRandom();

        @Mixin
        ConnectionOptions connection;

        @Option(names = "--name", required = true, description = "Who uses the key, e.g. the application's name")
        String name;

        @Option(names = "--domains", required = true, split = ",", paramLabel = "DOMAIN",
                description = "Sender domains the key may use in From, comma-separated (no wildcards)")
        List<String> domains;

        @Option(names = "--rate", defaultValue = "0", paramLabel = "PER_SECOND",
                description = "Messages per second the key may submit to each node; 0 = no limit (default: ${DEFAULT-VALUE})")
        double rate;

        @Mixin
        WebhookOptions webhook;

        @Override
        public Integer call() {
            List<String> checked = domains.stream().map(Create::checkedDomain).toList();
            Webhook hook = webhook.webhook(false);
            String secret = ApiKeySecret.generate();
            var key = new ApiKey("key_" + HexFormat.of().formatHex(randomBytes()), name, ApiKeySecret.hash(secret),
                    checked, rate, Instant.now(), null, hook);
            try (MongoConnection mongo = connection.mongo()) {
                new MongoApiKeyStore(mongo.ensureIndexes()).insert(key);
            }
            // The description goes to stderr so that KEY=$(coordinator api-key create ...) captures the secret alone.
            System.err.println("created API key " + key.id() + " (" + name + ") for " + String.join(",", checked)
                    + (rate > 0 ? ", " + rate + " messages/s per node" : ", no rate limit")
                    + (hook != null ? ", reports to " + hook.url() : "")
                    + "; its secret follows and is shown only this once");
            System.out.println(secret);
            return Cli.OK;
        }

        private static String checkedDomain(String domain) {
            String lower = domain.strip().toLowerCase(Locale.ROOT);
            AddressValidator.problem("postmaster@" + lower).ifPresent(problem -> {
                throw new IllegalArgumentException("--domains: '" + domain + "' is not a domain (" + problem + ")");
            });
            return lower;
        }

        private static byte[] randomBytes() {
            byte[] bytes = new byte[8];
            RANDOM.nextBytes(bytes);
            return bytes;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the keys, oldest first, with their messages queued, sent and failed (never their "
                    + "secrets), and the age of the send-API queue.")
    static final class ListKeys implements Callable<Integer> {

        @Mixin
        ConnectionOptions connection;

        @Override
        public Integer call() {
            try (MongoConnection mongo = connection.mongo()) {
                MongoMessageStore messages = new MongoMessageStore(mongo);
                Map<String, Map<MessageStatus, Long>> counts = messages.countsByKey();
                String row = "%-20s %-20s %-8s %-24s %-8s %9s %9s %9s  %s%n";
                System.out.printf(row, "ID", "NAME", "RATE", "CREATED", "STATE", "QUEUED", "SENT", "FAILED", "DOMAINS");
                for (ApiKey key : new MongoApiKeyStore(mongo).all()) {
                    Map<MessageStatus, Long> mine = counts.getOrDefault(key.id(), Map.of());
                    System.out.printf(row, key.id(), key.name(),
                            key.ratePerSecond() > 0 ? String.format(Locale.ROOT, "%.4g", key.ratePerSecond()) : "-",
                            key.createdAt(), key.revoked() ? "revoked" : "valid",
                            mine.getOrDefault(MessageStatus.QUEUED, 0L) + mine.getOrDefault(MessageStatus.PROCESSING, 0L),
                            mine.getOrDefault(MessageStatus.SENT, 0L), mine.getOrDefault(MessageStatus.FAILED, 0L),
                            String.join(",", key.domains())
                                    + (key.webhook() == null ? "" : "  webhook " + key.webhook().url()));
                }
                long unfinished = messages.countUnfinished();
                System.out.println("queue: " + unfinished + " message(s) QUEUED or PROCESSING" + messages.oldestUnfinished()
                        .map(at -> ", the oldest accepted " + Duration.between(at, Instant.now()).toSeconds() + " s ago")
                        .orElse(""));
                return Cli.OK;
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revokes a key; requests with it get 401 from then on.")
    static final class Revoke implements Callable<Integer> {

        @Mixin
        ConnectionOptions connection;

        @Parameters(paramLabel = "ID", description = "Key id, as api-key list shows it")
        String id;

        @Override
        public Integer call() {
            try (MongoConnection mongo = connection.mongo()) {
                if (!new MongoApiKeyStore(mongo).revoke(id, Instant.now())) {
                    throw new Cli.NotFoundException("no valid API key with id '" + id + "'; see api-key list");
                }
            }
            System.out.println("revoked API key " + id);
            return Cli.OK;
        }
    }

    @Command(name = "set-webhook", mixinStandardHelpOptions = true,
            description = "Sets or removes the webhook a key's messages are reported to (SENT, FAILED, bounces). "
                    + "Messages accepted before keep the URL they were accepted with; the secret in force signs.")
    static final class SetWebhook implements Callable<Integer> {

        @Mixin
        ConnectionOptions connection;

        @Parameters(paramLabel = "ID", description = "Key id, as api-key list shows it")
        String id;

        @Mixin
        WebhookOptions webhook;

        @Option(names = "--remove", description = "Remove the key's webhook: nothing more is reported")
        boolean remove;

        @Override
        public Integer call() {
            Webhook hook = remove ? null : webhook.webhook(true);
            if (remove && webhook.given()) {
                throw new IllegalArgumentException("--remove takes no --webhook-url or --webhook-secret-file");
            }
            try (MongoConnection mongo = connection.mongo()) {
                if (!new MongoApiKeyStore(mongo).setWebhook(id, hook)) {
                    throw new Cli.NotFoundException("no API key with id '" + id + "'; see api-key list");
                }
            }
            System.out.println(hook == null ? "API key " + id + " has no webhook now"
                    : "API key " + id + " reports to " + hook.url());
            return Cli.OK;
        }
    }
}
