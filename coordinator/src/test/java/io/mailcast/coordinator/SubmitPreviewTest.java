package io.mailcast.coordinator;

import com.mongodb.client.MongoDatabase;
import io.mailcast.cli.CapturedRun;
import io.mailcast.cli.Cli;
import io.mailcast.lab.fixtures.EmbeddedMongo;
import io.mailcast.store.Collections;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoSuppressionList;
import io.mailcast.suppression.Suppression;
import io.mailcast.suppression.SuppressionReason;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code submit --dry-run} and {@code submit --test-to}: what an operator checks before sending to everyone. */
class SubmitPreviewTest {

    private static final ObjectId FIRST = new ObjectId("65f1c2d3e4f5a6b7c8d9e001");
    private static final ObjectId THIRD = new ObjectId("65f1c2d3e4f5a6b7c8d9e003");
    private static final ObjectId FOURTH = new ObjectId("65f1c2d3e4f5a6b7c8d9e004");

    private static EmbeddedMongo mongo;
    private static MongoConnection connection;

    @TempDir
    Path dir;
    private Path text;
    private Path html;

    @BeforeAll
    static void startMongo() {
        mongo = EmbeddedMongo.start("127.0.0.1", 0);
        connection = MongoConnection.open(mongo.uri(), Duration.ofSeconds(5)).ensureIndexes();
    }

    @AfterAll
    static void stopMongo() {
        connection.close();
        mongo.close();
    }

    @BeforeEach
    void subscribers() throws Exception {
        MongoDatabase db = connection.database();
        for (String c : List.of(Collections.SUBSCRIBERS, Collections.CAMPAIGNS, Collections.CHUNKS,
                Collections.DELIVERIES, Collections.MESSAGES, Collections.SUPPRESSIONS)) {
            db.getCollection(c).deleteMany(new Document());
        }
        List<Document> docs = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            ObjectId id = new ObjectId(String.format("65f1c2d3e4f5a6b7c8d9e%03d", i));
            docs.add(new Document("_id", id).append("email", "user" + i + "@example.com").append("name", "Name" + i)
                    .append("subscribed", i != 5).append("attributes", new Document("city", "City" + i)));
        }
        docs.set(1, docs.get(1).append("email", "not-an-address"));
        db.getCollection(Collections.SUBSCRIBERS).insertMany(docs);
        new MongoSuppressionList(connection).addAll(List.of(new Suppression("user3@example.com",
                SuppressionReason.UNSUBSCRIBED, null, Instant.now(), null)));
        text = Files.writeString(dir.resolve("t.txt"), "Hi {{name}} from {{attributes.city}}. Leave: {{unsubscribeUrl}}");
        html = Files.writeString(dir.resolve("t.html"), "<p>Hi {{name}} &amp; welcome</p>");
    }

    private CapturedRun submit(String... extra) {
        List<String> args = new ArrayList<>(List.of("submit", "--subject", "Hello {{name}}", "--from", "News <news@example.com>",
                "--text-template", text.toString(), "--html-template", html.toString(), "--chunk-size", "2",
                "--mongo-uri", mongo.uri(), "--members", "127.0.0.1:1", "--connect-timeout-seconds", "2"));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    private static long stored(String collection) {
        return connection.database().getCollection(collection).countDocuments();
    }

    @Test
    void dryRunCountsPlansAndRendersTheFirstRecipientsWithoutStoringOrNeedingTheCluster() {
        CapturedRun r = submit("--dry-run", "--preview", "3");

        assertThat(r.code()).as(r.err()).isEqualTo(Cli.OK);
        assertThat(r.out()).contains("nothing is stored and nothing is sent")
                .contains("6 eligible recipients in 3 chunks of up to 2")
                .contains("chunk 0: ids [oid:65f1c2d3e4f5a6b7c8d9e001..oid:65f1c2d3e4f5a6b7c8d9e002] (2)")
                .contains("chunk 2: ids (oid:65f1c2d3e4f5a6b7c8d9e004..oid:65f1c2d3e4f5a6b7c8d9e007] (2)");
        assertThat(r.out()).contains("==== 1 of 3: subscriber oid:" + FIRST.toHexString() + " <user1@example.com>")
                .contains("Subject: Hello Name1").contains("To: Name1 <user1@example.com>")
                .contains("From: News <news@example.com>")
                .contains("Content-Type: multipart/alternative").contains("text/plain").contains("text/html")
                .contains("Hi Name1 from City1. Leave: " + "https://public-url.invalid/unsubscribe")
                .contains("<p>Hi Name1 &amp; welcome</p>");
        assertThat(r.out()).contains("==== 2 of 3").contains("not sent: INVALID")
                .contains("==== 3 of 3: subscriber oid:" + THIRD.toHexString()).contains("not sent: SUPPRESSED");
        for (String c : List.of(Collections.CAMPAIGNS, Collections.CHUNKS, Collections.DELIVERIES, Collections.MESSAGES)) {
            assertThat(stored(c)).as(c).isZero();
        }
    }

    @Test
    void dryRunWithABrokenAudienceIsOneLineExit2() {
        CapturedRun r = submit("--dry-run", "--audience", "{\"subscribed\": tru");

        assertThat(r.code()).isEqualTo(Cli.USAGE);
        assertThat(r.err().strip()).startsWith("error:").doesNotContain("\n");
        assertThat(stored(Collections.CAMPAIGNS)).isZero();
    }

    @Test
    void testSendQueuesOneMessagePerAddressBuiltFromTheChosenSubscriberAndNoCampaign() {
        CapturedRun r = submit("--test-to", "qa@example.org, boss@example.org", "--test-subscriber", FOURTH.toHexString(),
                "--test-wait-seconds", "0");

        assertThat(r.code()).as(r.err()).isEqualTo(Cli.OK);
        assertThat(r.out()).contains("built from subscriber oid:65f1c2d3e4f5a6b7c8d9e004 queued for 2 address(es)")
                .contains("qa@example.org: still QUEUED").contains("boss@example.org: still QUEUED");
        List<Document> messages = connection.database().getCollection(Collections.MESSAGES).find().into(new ArrayList<>());
        assertThat(messages).hasSize(2);
        assertThat(messages).extracting(m -> m.getList("to", String.class)).containsExactlyInAnyOrder(
                List.of("qa@example.org"), List.of("boss@example.org"));
        assertThat(messages).allSatisfy(m -> {
            assertThat(m.getString("subject")).isEqualTo("[test] Hello Name4");
            assertThat(m.getString("text")).startsWith("Hi Name4 from City4.");
            assertThat(m.getList("tags", String.class)).contains("test-send", "subscriber:oid:" + FOURTH.toHexString())
                    .anyMatch(tag -> tag.startsWith("campaign:c-"));
        });
        assertThat(stored(Collections.CAMPAIGNS)).isZero();
        assertThat(stored(Collections.CHUNKS)).isZero();
    }

    @Test
    void testSendDefaultsToTheFirstEligibleSubscriber() {
        CapturedRun r = submit("--test-to", "qa@example.org", "--test-wait-seconds", "0");

        assertThat(r.code()).as(r.err()).isEqualTo(Cli.OK);
        assertThat(r.out()).contains("built from subscriber oid:" + FIRST.toHexString());
        Document message = connection.database().getCollection(Collections.MESSAGES).find().first();
        assertThat(message).isNotNull();
        assertThat(message.getString("subject")).isEqualTo("[test] Hello Name1");
    }

    @Test
    void badPreviewOptionsAreOneLineExit2AndStoreNothing() {
        Map<String, String[]> cases = Map.of(
                "is not an e-mail address", new String[]{"--test-to", "qa@example.org,not-an-address"},
                "not both", new String[]{"--dry-run", "--test-to", "qa@example.org"},
                "goes with --test-to", new String[]{"--test-subscriber", "42"},
                "is not an id", new String[]{"--test-to", "qa@example.org", "--test-subscriber", "zz:1"},
                "1 to 10 addresses", new String[]{"--test-to", "a@x.org,b@x.org,c@x.org,d@x.org,e@x.org,f@x.org,g@x.org,"
                        + "h@x.org,i@x.org,j@x.org,k@x.org"},
                "--preview must be between 0 and 100", new String[]{"--dry-run", "--preview", "1000"});
        cases.forEach((expected, extra) -> {
            CapturedRun r = submit(extra);
            assertThat(r.code()).as(expected).isEqualTo(Cli.USAGE);
            assertThat(r.err().strip()).as(expected).contains(expected).doesNotContain("\n");
        });
        assertThat(stored(Collections.MESSAGES)).isZero();
        assertThat(stored(Collections.CAMPAIGNS)).isZero();
    }

    @Test
    void unknownTestSubscriberIsExit5() {
        CapturedRun r = submit("--test-to", "qa@example.org", "--test-subscriber", "4242");

        assertThat(r.code()).isEqualTo(Cli.NOT_FOUND);
        // The embedded server logs to the same stderr; the CLI's own output is its one error line.
        assertThat(r.err().lines().filter(l -> l.startsWith("error:")))
                .singleElement().asString().contains("no subscriber with id 4242");
        assertThat(stored(Collections.MESSAGES)).isZero();
    }

    @Test
    void anApplicationsOwnCollectionIsReadThroughTheMappingFlags() throws Exception {
        var people = connection.database("app").getCollection("people");
        people.drop();
        people.insertOne(new Document("_id", "u-1").append("contact", new Document("email", "ann@example.org"))
                .append("fullName", "Ann").append("plan", "pro").append("optIn", true));
        people.insertOne(new Document("_id", "u-2").append("contact", new Document("email", "bob@example.org"))
                .append("fullName", "Bob").append("plan", "free").append("optIn", false));
        text = Files.writeString(dir.resolve("plan.txt"), "{{name}} is on {{plan}}");

        CapturedRun r = submit("--dry-run", "--database", "app", "--collection", "people", "--email-field", "contact.email",
                "--name-field", "fullName", "--audience", "{\"optIn\": true}");

        assertThat(r.code()).as(r.err()).isEqualTo(Cli.OK);
        assertThat(r.out()).contains("1 eligible recipients in 1 chunks").contains("subscriber s:u-1 <ann@example.org>")
                .contains("To: Ann <ann@example.org>").contains("Ann is on pro").doesNotContain("bob@example.org");
    }

    @Test
    void aMappingMongoDbWouldRefuseIsOneLineExit2() {
        CapturedRun r = submit("--dry-run", "--email-field", "$where");

        assertThat(r.code()).isEqualTo(Cli.USAGE);
        assertThat(r.err().strip()).contains("e-mail field '$where'").doesNotContain("\n");
    }
}
