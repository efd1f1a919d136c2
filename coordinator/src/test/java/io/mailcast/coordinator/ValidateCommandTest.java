package io.mailcast.coordinator;

import io.mailcast.cli.CapturedRun;
import io.mailcast.cli.Cli;
import io.mailcast.lab.fixtures.EmbeddedMongo;
import io.mailcast.store.Collections;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoVerdictStore;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code coordinator validate} as a user runs it, with the simulated validator at millisecond latencies. */
class ValidateCommandTest {

    private static EmbeddedMongo mongo;
    private static MongoConnection connection;

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

    /** 30 subscribers: 10 confirmed, 20 unconfirmed of which 5 share a mailbox with another (15 distinct). */
    @BeforeEach
    void subscribers() {
        for (String c : List.of(Collections.SUBSCRIBERS, Collections.ADDRESS_VERDICTS, Collections.VALIDATION_BUDGET,
                Collections.VALIDATION_JOBS, Collections.VALIDATION_CHUNKS)) {
            connection.database().getCollection(c).drop();
        }
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String email = i < 25 ? "user" + i + "@example.com" : "user" + (i - 10) + "@EXAMPLE.com";
            docs.add(new Document("_id", i).append("email", email).append("subscribed", true)
                    .append("attributes", new Document("confirmed", i < 10)));
        }
        connection.database().getCollection(Collections.SUBSCRIBERS).insertMany(docs);
    }

    private static CapturedRun validate(String... args) {
        String[] all = Stream.of(Stream.of("validate", "--audience", "{\"subscribed\": true}", "--mongo-uri", mongo.uri(),
                "--sim-min-latency", "PT0S", "--sim-max-latency", "PT0.01S", "--sim-error-rate", "0",
                "--sim-invalid-rate", "0.3", "--price", "0.01"), Stream.of(args)).flatMap(s -> s).toArray(String[]::new);
        return CliRunner.run(all);
    }

    @Test
    void checksEachUnconfirmedAddressOnceAndThenFromTheCache() {
        CapturedRun first = validate("--concurrency", "8");

        assertThat(first.code()).as(first.err()).isEqualTo(Cli.OK);
        assertThat(first.out()).contains("30 subscribers, 10 confirmed, 15 distinct unconfirmed addresses")
                .contains("checks made: 15 (errors 0), cache hits: 0, money spent: 0.15")
                .contains("budget today: 15 calls, 0.15 spent; left: no limit calls, no limit");
        assertThat(new MongoVerdictStore(connection).fresh(Set.of("user12@example.com", "user3@example.com"),
                Instant.now())).containsOnlyKeys("user12@example.com");

        CapturedRun again = validate();
        assertThat(again.code()).isEqualTo(Cli.OK);
        assertThat(again.out()).contains("checks made: 0 (errors 0), cache hits: 15, money spent: 0");
    }

    @Test
    void aSpentBudgetLeavesTheRestForLaterAndSaysSo() {
        CapturedRun run = validate("--calls-per-day", "4", "--deadline", "PT1S");

        assertThat(run.code()).isEqualTo(Cli.FAILED);
        assertThat(run.out()).contains("checks made: 4 ").contains("left: 0 calls")
                .contains("unchecked: 11 (validator kept failing 0, past the deadline 11");
    }

    @Test
    void clusterModeOrdersAJobForTheNodesOnceAndPaysForNothingHere() {
        CapturedRun order = validate("--cluster", "--job-id", "v-test", "--chunk-size", "7", "--deadline",
                "2026-12-07T00:00:00Z");

        assertThat(order.code()).as(order.err()).isEqualTo(Cli.OK);
        assertThat(order.out()).contains("validation job v-test: 5 chunks, deadline 2026-12-07T00:00:00Z");
        assertThat(connection.database().getCollection(Collections.VALIDATION_CHUNKS)
                .countDocuments(new Document("campaignId", "v-test"))).isEqualTo(5);
        assertThat(connection.database().getCollection(Collections.ADDRESS_VERDICTS).countDocuments()).isZero();

        CapturedRun again = validate("--cluster", "--job-id", "v-test", "--chunk-size", "3");
        assertThat(again.out()).as("the same id is the same order").contains("validation job v-test: 5 chunks");
        assertThat(connection.database().getCollection(Collections.VALIDATION_CHUNKS)
                .countDocuments(new Document("campaignId", "v-test"))).isEqualTo(5);
        assertThat(validate("--cluster", "--chunk-size", "0").code()).isEqualTo(Cli.USAGE);

        // status knows validation jobs: the backlog, and that nothing was done yet to measure an ETA.
        CapturedRun status = CliRunner.run("status", "v-test", "--mongo-uri", mongo.uri());
        assertThat(status.code()).as(status.err()).isEqualTo(Cli.OK);
        assertThat(status.out()).contains("validation job v-test  RUNNING  deadline 2026-12-07T00:00:00Z")
                .contains("subscribers 30 in 5 chunks: done 0 (0 chunks), 0 chunks in progress, backlog 30")
                .contains("ETA estimating…").doesNotContain("budget spent");

        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        connection.database().getCollection(Collections.VALIDATION_BUDGET).insertOne(new Document("_id", today)
                .append("calls", 4L).append("micros", 40_000L).append("refused", true));
        CapturedRun spent = CliRunner.run("status", "v-test", "--mongo-uri", mongo.uri());
        assertThat(spent.out()).contains("budget today: 4 calls, 0.04 spent; budget spent, waiting until "
                + java.time.LocalDate.parse(today).plusDays(1) + "T00:00:00Z");
        CapturedRun json = CliRunner.run("status", "v-test", "--json", "--mongo-uri", mongo.uri());
        assertThat(Document.parse(json.out()).getBoolean("waitingForBudget")).isTrue();
        assertThat(Document.parse(json.out()).getInteger("backlog")).isEqualTo(30);
    }

    @Test
    void badInputIsOneLineAndExitCodeTwo() {
        for (var bad : Map.of(
                "--concurrency", "0",
                "--deadline", "tomorrow",
                "--validator", "magic",
                "--sim-invalid-rate", "2",
                "--price", "-1").entrySet()) {
            CapturedRun run = validate(bad.getKey(), bad.getValue());
            assertThat(run.code()).as(bad.toString()).isEqualTo(Cli.USAGE);
            assertThat(run.err().strip()).as(bad.toString()).startsWith("error: ").doesNotContain("\n\tat ");
        }
        CapturedRun http = validate("--validator", "http");
        assertThat(http.err()).contains("--http-endpoint");
        CapturedRun key = validate("--validator", "http", "--http-endpoint", "http://127.0.0.1:1/v",
                "--http-key-env", "MAILCAST_TEST_NO_SUCH_VARIABLE");
        assertThat(key.code()).isEqualTo(Cli.USAGE);
        assertThat(key.err()).contains("MAILCAST_TEST_NO_SUCH_VARIABLE");
    }
}
