package io.mailcast.coordinator;

import io.mailcast.cli.CapturedRun;
import io.mailcast.cli.Cli;
import io.mailcast.lab.fixtures.EmbeddedMongo;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoSuppressionList;
import io.mailcast.suppression.Suppression;
import io.mailcast.suppression.SuppressionReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** {@code coordinator suppression ...} as a user runs it: exit code, one line of output, and what the store holds. */
class SuppressionCommandTest {

    private static EmbeddedMongo mongo;
    private static MongoConnection connection;
    private static MongoSuppressionList list;

    @BeforeAll
    static void startMongo() {
        mongo = EmbeddedMongo.start("127.0.0.1", 0);
        connection = MongoConnection.open(mongo.uri(), Duration.ofSeconds(5)).ensureIndexes();
        list = new MongoSuppressionList(connection);
    }

    @AfterAll
    static void stopMongo() {
        connection.close();
        mongo.close();
    }

    @BeforeEach
    void emptyList() {
        list.forEach(s -> list.remove(s.address()));
    }

    private static CapturedRun run(String... args) {
        String[] all = Stream.concat(Stream.concat(Stream.of("suppression"), Stream.of(args)),
                Stream.of("--mongo-uri", mongo.uri())).toArray(String[]::new);
        return CliRunner.run(all);
    }

    private static List<Suppression> stored() {
        List<Suppression> all = new ArrayList<>();
        list.forEach(all::add);
        return all;
    }

    @Test
    void addStoresNormalisedAddressesOnceWithReasonAndNote() {
        CapturedRun r = run("add", " Ann@EXAMPLE.com", "bob@example.com", "--reason", "hard-bounce", "--note", "ticket 42");
        assertThat(r.code()).as(r.err()).isEqualTo(Cli.OK);
        assertThat(r.out()).isEqualTo("added 2 to the suppression list\n");

        // The domain's case never matters; the local part's may (RFC 5321), so Ann and ann are two entries.
        CapturedRun again = run("add", "Ann@Example.COM", "cy@example.com");
        assertThat(again.out()).isEqualTo("added 1 to the suppression list, 1 already on it (kept as they were)\n");

        assertThat(stored()).extracting(Suppression::address, Suppression::reason, Suppression::evidence).containsExactly(
                tuple("Ann@example.com", SuppressionReason.HARD_BOUNCE, "ticket 42"),
                tuple("bob@example.com", SuppressionReason.HARD_BOUNCE, "ticket 42"),
                tuple("cy@example.com", SuppressionReason.MANUAL, null));
    }

    @Test
    void anInvalidAddressOrReasonAddsNothing() {
        CapturedRun r = run("add", "good@example.com", "not an address");
        assertThat(r.code()).isEqualTo(Cli.USAGE);
        assertThat(r.err().strip()).isEqualTo("error: 'not an address' is not a valid address (contains whitespace); "
                + "nothing was added");

        CapturedRun reason = run("add", "good@example.com", "--reason", "bored");
        assertThat(reason.code()).isEqualTo(Cli.USAGE);
        assertThat(reason.err().strip()).startsWith("error: Invalid value for option '--reason': unknown reason 'bored'")
                .doesNotContain("\n");
        assertThat(stored()).isEmpty();
    }

    @Test
    void removeTakesAddressesOffAndSaysWhichWereNotOnIt() {
        run("add", "ann@example.com", "bob@example.com");

        CapturedRun r = run("remove", "ann@EXAMPLE.com", "zed@example.com");
        assertThat(r.code()).isEqualTo(Cli.OK);
        assertThat(r.out()).isEqualTo("removed 1 from the suppression list; not on it: zed@example.com\n");
        assertThat(stored()).extracting(Suppression::address).containsExactly("bob@example.com");

        CapturedRun none = run("remove", "zed@example.com");
        assertThat(none.code()).isEqualTo(Cli.NOT_FOUND);
        assertThat(none.err().strip()).isEqualTo("error: not on the suppression list: zed@example.com");
    }

    @Test
    void listFiltersByReasonAndSaysWhenItStopsAtTheLimit() {
        run("add", "a@example.com", "b@example.com", "--reason", "complaint");
        run("add", "c@example.com");

        CapturedRun complaints = run("list", "--reason", "COMPLAINT", "--limit", "1");
        assertThat(complaints.code()).isEqualTo(Cli.OK);
        List<String> lines = complaints.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("ADDRESS");
        assertThat(lines.get(1)).startsWith("a@example.com").contains("complaint");
        assertThat(lines.get(2)).isEqualTo("(first 1 shown; raise --limit, or export for all)");

        assertThat(run("list", "--reason", "unsubscribed").out()).isEqualTo("no entries with reason unsubscribed\n");
        assertThat(run("list", "--limit", "0").err()).contains("--limit must be at least 1");
    }

    @Test
    void importAddsValidLinesAndNamesTheInvalidOnesByNumber(@TempDir Path dir) throws Exception {
        run("add", "known@example.com");
        Path file = Files.writeString(dir.resolve("people.csv"), String.join("\n",
                "email,name",
                "new@Example.com,New Person",
                "known@example.com,Known",
                "no-at-sign,Broken",
                "# a comment",
                "two words@example.com",
                "\"quoted@example.com\",\"Q, Person\"",
                "new@example.com,Again",
                ""));

        CapturedRun r = run("import", file.toString(), "--reason", "unsubscribed");

        assertThat(r.code()).as(r.err()).isEqualTo(Cli.OK);
        assertThat(r.out()).isEqualTo("imported people.csv: 2 added, 2 already present, 2 invalid lines "
                + "(line 4: missing @; line 6: contains whitespace)\n");
        assertThat(stored()).extracting(Suppression::address)
                .containsExactly("known@example.com", "new@example.com", "quoted@example.com");
        assertThat(stored().get(1).reason()).isEqualTo(SuppressionReason.UNSUBSCRIBED);
        assertThat(stored().get(1).evidence()).isEqualTo("imported from people.csv");
    }

    @Test
    void importOfAFileWithoutAnyAddressOrOfNoFileIsBadInput(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.txt"), "x@\n@y\n");
        CapturedRun r = run("import", junk.toString());
        assertThat(r.code()).isEqualTo(Cli.USAGE);
        assertThat(r.out()).startsWith("imported junk.txt: 0 added, 0 already present, 2 invalid lines (line 1: ");

        CapturedRun missing = run("import", dir.resolve("nope.txt").toString());
        assertThat(missing.code()).isEqualTo(Cli.USAGE);
        assertThat(missing.err().strip()).startsWith("error: cannot read ").doesNotContain("\n");
    }

    @Test
    void exportWritesCsvThatImportReadsBack(@TempDir Path dir) {
        run("add", "ann@example.com", "--note", "said \"stop\", twice");
        run("add", "bob@example.com", "--reason", "hard-bounce");
        Path file = dir.resolve("list.csv");

        CapturedRun r = run("export", file.toString());
        assertThat(r.code()).isEqualTo(Cli.OK);
        assertThat(r.out()).isEqualTo("exported 2 entries to " + file + "\n");
        CapturedRun toStdout = run("export");
        assertThat(toStdout.out().lines().toList()).hasSize(3).first().isEqualTo("address,reason,at,campaign,evidence");
        assertThat(toStdout.out()).contains("ann@example.com,manual,").contains(",\"said \"\"stop\"\", twice\"");
        List<Suppression> before = stored();

        emptyList();
        CapturedRun back = run("import", file.toString());
        assertThat(back.out()).isEqualTo("imported list.csv: 2 added, 0 already present, 0 invalid lines\n");
        assertThat(stored()).extracting(Suppression::address).isEqualTo(before.stream().map(Suppression::address).toList());
    }
}
