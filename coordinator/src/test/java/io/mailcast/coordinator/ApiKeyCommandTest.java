package io.mailcast.coordinator;

import io.mailcast.apikey.ApiKey;
import io.mailcast.apikey.ApiKeySecret;
import io.mailcast.cli.CapturedRun;
import io.mailcast.cli.Cli;
import io.mailcast.message.Message;
import io.mailcast.message.StoredMessage;
import io.mailcast.store.MongoApiKeyStore;
import io.mailcast.store.MongoMessageStore;
import io.mailcast.testing.MongoFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyCommandTest {

    @RegisterExtension
    static final MongoFixture mongo = new MongoFixture();

    @BeforeEach
    void emptyStore() {
        mongo.dropAll();
    }

    private static CapturedRun run(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--mongo-uri";
        all[args.length + 1] = mongo.uri();
        return CliRunner.run(all);
    }

    @Test
    void createPrintsTheSecretOnceAndStoresOnlyItsHash() {
        CapturedRun created = run("api-key", "create", "--name", "shop", "--domains", "Example.com,mail.example.org",
                "--rate", "20");

        assertThat(created.code()).as(created.err()).isEqualTo(Cli.OK);
        String secret = created.out().strip();
        assertThat(secret).startsWith(ApiKeySecret.PREFIX).doesNotContain("\n");
        assertThat(created.err()).contains("shown only this once", "example.com,mail.example.org");
        ApiKey stored = new MongoApiKeyStore(mongo.connection()).findBySecretHash(ApiKeySecret.hash(secret)).orElseThrow();
        assertThat(stored.domains()).containsExactly("example.com", "mail.example.org");
        assertThat(stored.ratePerSecond()).isEqualTo(20);
        assertThat(mongo.connection().database().getCollection("api_keys").find().first().toJson()).doesNotContain(secret);

        CapturedRun listed = run("api-key", "list");
        assertThat(listed.code()).isEqualTo(Cli.OK);
        assertThat(listed.out()).contains(stored.id(), "shop", "valid").doesNotContain(secret)
                .doesNotContain(stored.secretHash());
    }

    @Test
    void listShowsEachKeysMessagesAndTheQueueAge() {
        run("api-key", "create", "--name", "shop", "--domains", "example.com");
        String id = new MongoApiKeyStore(mongo.connection()).all().getFirst().id();
        var messages = new MongoMessageStore(mongo.connection());
        Message message = new Message("shop@example.com", List.of("ann@example.org"), List.of(), null, "Hi", "text",
                null, Map.of(), List.of());
        for (int i = 0; i < 2; i++) {
            messages.accept(StoredMessage.queued("m" + i, id, null, message, List.of(), Instant.now().minusSeconds(90)));
        }

        CapturedRun listed = run("api-key", "list");

        assertThat(listed.out()).containsPattern(id + "\\s+shop\\s+-\\s+\\S+\\s+valid\\s+2\\s+0\\s+0\\s+example.com")
                .containsPattern("queue: 2 message\\(s\\) QUEUED or PROCESSING, the oldest accepted (9\\d|1\\d\\d) s ago");
    }

    @Test
    void revokeMarksTheKeyAndAnUnknownOneExitsFive() {
        run("api-key", "create", "--name", "shop", "--domains", "example.com");
        String id = new MongoApiKeyStore(mongo.connection()).all().getFirst().id();

        assertThat(run("api-key", "revoke", id).code()).isEqualTo(Cli.OK);
        assertThat(run("api-key", "list").out()).contains("revoked");
        CapturedRun again = run("api-key", "revoke", id);
        assertThat(again.code()).isEqualTo(Cli.NOT_FOUND);
        assertThat(again.err().strip()).startsWith("error: no valid API key").doesNotContain("\n");
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        CapturedRun badDomain = run("api-key", "create", "--name", "shop", "--domains", "not a domain");
        assertThat(badDomain.code()).isEqualTo(Cli.USAGE);
        assertThat(badDomain.err().strip()).startsWith("error: --domains").doesNotContain("\n");

        CapturedRun badRate = run("api-key", "create", "--name", "shop", "--domains", "example.com", "--rate", "-1");
        assertThat(badRate.code()).isEqualTo(Cli.USAGE);
        assertThat(run("api-key", "create", "--domains", "example.com").code()).isEqualTo(Cli.USAGE);
    }

    @Test
    void aWebhookIsSetWithItsSecretFromAFileShownInTheListChangedAndRemoved(@TempDir Path dir) throws Exception {
        Path secretFile = Files.writeString(dir.resolve("hook-secret"), "a-webhook-secret-of-32-characters\n");
        CapturedRun created = run("api-key", "create", "--name", "shop", "--domains", "example.com",
                "--webhook-url", "https://shop.example.com/hooks", "--webhook-secret-file", secretFile.toString());
        assertThat(created.code()).as(created.err()).isEqualTo(Cli.OK);
        assertThat(created.err()).contains("reports to https://shop.example.com/hooks")
                .doesNotContain("a-webhook-secret-of-32-characters");
        ApiKey key = new MongoApiKeyStore(mongo.connection()).all().getFirst();
        assertThat(key.webhook().secret()).isEqualTo("a-webhook-secret-of-32-characters");
        assertThat(run("api-key", "list").out()).contains("webhook https://shop.example.com/hooks")
                .doesNotContain("a-webhook-secret-of-32-characters");

        CapturedRun moved = run("api-key", "set-webhook", key.id(), "--webhook-url", "https://new.example.com/h",
                "--webhook-secret-file", secretFile.toString());
        assertThat(moved.code()).as(moved.err()).isEqualTo(Cli.OK);
        assertThat(new MongoApiKeyStore(mongo.connection()).find(key.id()).orElseThrow().webhook().url())
                .isEqualTo("https://new.example.com/h");

        assertThat(run("api-key", "set-webhook", key.id(), "--remove").code()).isEqualTo(Cli.OK);
        assertThat(new MongoApiKeyStore(mongo.connection()).find(key.id()).orElseThrow().webhook()).isNull();
        assertThat(run("api-key", "set-webhook", "key_nope", "--remove").code()).isEqualTo(Cli.NOT_FOUND);
    }

    @Test
    void aBadWebhookIsOneLineAndExitTwoAndStoresNoKey(@TempDir Path dir) throws Exception {
        Path shortSecret = Files.writeString(dir.resolve("short"), "tiny");
        Path goodSecret = Files.writeString(dir.resolve("good"), "a-webhook-secret-of-32-characters");
        List<String[]> bad = List.of(
                new String[]{"--webhook-url", "https://shop.example.com/hooks"},
                new String[]{"--webhook-url", "ftp://shop.example.com/hooks", "--webhook-secret-file", goodSecret.toString()},
                new String[]{"--webhook-url", "https://user:pw@shop.example.com/", "--webhook-secret-file", goodSecret.toString()},
                new String[]{"--webhook-url", "not a url", "--webhook-secret-file", goodSecret.toString()},
                new String[]{"--webhook-url", "https://shop.example.com/", "--webhook-secret-file", shortSecret.toString()},
                new String[]{"--webhook-url", "https://shop.example.com/", "--webhook-secret-file", dir.resolve("none").toString()});
        for (String[] options : bad) {
            List<String> args = new java.util.ArrayList<>(List.of("api-key", "create", "--name", "shop", "--domains",
                    "example.com"));
            args.addAll(List.of(options));
            CapturedRun refused = run(args.toArray(String[]::new));
            assertThat(refused.code()).as(String.join(" ", options)).isEqualTo(Cli.USAGE);
            assertThat(refused.err().strip()).as(String.join(" ", options)).startsWith("error: ").doesNotContain("\n")
                    .doesNotContain("a-webhook-secret-of-32-characters").doesNotContain("pw@");
        }
        assertThat(new MongoApiKeyStore(mongo.connection()).all()).isEmpty();
    }
}
