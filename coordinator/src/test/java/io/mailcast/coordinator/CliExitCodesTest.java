package io.mailcast.coordinator;

import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.cli.Cli;
import io.mailcast.lab.fixtures.EmbeddedMongo;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoConnection;
import io.mailcast.subscriber.Audience;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What a user sees for mistakes: one line naming the problem, and a distinct exit code. */
class CliExitCodesTest {

    private static EmbeddedMongo mongo;

    @BeforeAll
    static void startMongo() {
        mongo = EmbeddedMongo.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stopMongo() {
        mongo.close();
    }

    static CliRunner.Run run(String... args) {
        return CliRunner.run(args);
    }

    @Test
    void unknownCampaignIsExitCode5WithOneLine() {
        CliRunner.Run r = run("status", "no-such-campaign", "--mongo-uri", mongo.uri());
        assertThat(r.code()).isEqualTo(Cli.NOT_FOUND);
        assertThat(r.err().strip()).startsWith("error: no campaign with id 'no-such-campaign'").doesNotContain("\n");
    }

    @Test
    void unreachableMongoIsExitCode3AndNamesTheUriWithoutCredentials() {
        CliRunner.Run r = run("list", "--mongo-uri", "mongodb://admin:s3cretpass@127.0.0.1:1/mailcast", "--connect-timeout-seconds", "1");
        assertThat(r.code()).isEqualTo(Cli.STORE_UNAVAILABLE);
        assertThat(r.err()).contains("127.0.0.1:1").contains("unreachable").doesNotContain("s3cretpass");
    }

    @Test
    void unreadableTemplateIsExitCode2() {
        CliRunner.Run r = run("submit", "--subject", "S", "--from", "a@example.com", "--text-template", "/nonexistent/t.mustache",
                "--mongo-uri", mongo.uri());
        assertThat(r.code()).isEqualTo(Cli.USAGE);
        assertThat(r.err()).contains("cannot read --text-template /nonexistent/t.mustache");
    }

    @Test
    void brokenTemplateIsExitCode2NamingTheTemplate(@TempDir Path dir) throws Exception {
        Path html = Files.writeString(dir.resolve("t.html"), "<p>{{#items}}unclosed</p>");
        CliRunner.Run r = run("submit", "--subject", "S", "--from", "a@example.com", "--html-template", html.toString(),
                "--mongo-uri", mongo.uri());
        assertThat(r.code()).isEqualTo(Cli.USAGE);
        assertThat(r.err()).contains("HTML template");
    }

    @Test
    void unreachableClusterIsExitCode4(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("t.txt"), "Hi {{name}}");
        CliRunner.Run r = run("submit", "--subject", "S", "--from", "a@example.com", "--text-template", text.toString(),
                "--mongo-uri", mongo.uri(), "--members", "127.0.0.1:1", "--connect-timeout-seconds", "2");
        assertThat(r.code()).isEqualTo(Cli.CLUSTER_UNAVAILABLE);
        assertThat(r.err()).contains("no Mailcast cluster reachable");
    }

    @Test
    void wrongFlagIsExitCode2() {
        CliRunner.Run r = run("status", "x", "--wat");
        assertThat(r.code()).isEqualTo(Cli.USAGE);
        assertThat(r.err()).contains("Unknown option: '--wat'");
    }

    @Test
    void statusJsonOfAnEmptyAudienceCampaign(@TempDir Path dir) throws Exception {
        // No subscribers at all: the campaign completes at submit without needing a node, but submit still needs the
        // cluster; so store it directly and read it back through the CLI.
        try (var connection = MongoConnection.open(mongo.uri(), Duration.ofSeconds(5))) {
            new MongoCampaignStore(connection).insertIfAbsent(new Campaign(
                    "json-1", "S", "a@example.com", null, "t", null, Audience.SUBSCRIBED, 10,
                    CampaignState.COMPLETED, "no eligible subscribers", 0, 0,
                    Instant.now(), null, null));
        }
        CliRunner.Run r = run("status", "json-1", "--json", "--mongo-uri", mongo.uri());
        assertThat(r.code()).isZero();
        Document json = Document.parse(r.out().strip());
        assertThat(json.keySet()).contains("campaignId", "state", "eligible", "sent", "failed", "invalid", "uncertain",
                "remaining", "perSecond", "etaSeconds");
        assertThat(json.getString("campaignId")).isEqualTo("json-1");
        assertThat(json.getString("state")).isEqualTo("COMPLETED");
        assertThat(((Number) json.get("remaining")).longValue()).isZero();
    }
}
