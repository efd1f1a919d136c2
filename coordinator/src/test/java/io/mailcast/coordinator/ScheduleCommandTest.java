package io.mailcast.coordinator;

import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.chunk.ChunkCounts;
import io.mailcast.chunk.ChunkRange;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.ChunkState;
import io.mailcast.store.Collections;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.subscriber.Audience;
import io.mailcast.subscriber.IdRange;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.subscriber.SubscriberMapping;
import io.mailcast.cli.CapturedRun;
import io.mailcast.cli.Cli;
import io.mailcast.lab.fixtures.EmbeddedMongo;
import io.mailcast.reminder.DateKind;
import io.mailcast.schedule.CatchUp;
import io.mailcast.schedule.Firing;
import io.mailcast.schedule.SlotCampaign;
import io.mailcast.schedule.Trigger;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoFiringStore;
import io.mailcast.store.MongoScheduleStore;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code coordinator schedule ...} as a user runs it: exit code, one line on error, and what MongoDB holds. */
class ScheduleCommandTest {

    private static EmbeddedMongo mongo;
    private static MongoConnection connection;
    private static MongoScheduleStore schedules;
    private static Path text;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startMongo() throws Exception {
        mongo = EmbeddedMongo.start("127.0.0.1", 0);
        connection = MongoConnection.open(mongo.uri(), Duration.ofSeconds(5)).ensureIndexes();
        schedules = new MongoScheduleStore(connection);
        text = Files.writeString(dir.resolve("reminder.txt"), "{{name}}, {{daysLeft}} days left: ends {{expiresOn}}.");
    }

    @AfterAll
    static void stopMongo() {
        connection.close();
        mongo.close();
    }

    @BeforeEach
    void noSchedules() {
        schedules.all().forEach(s -> schedules.remove(s.id()));
        connection.database().getCollection(Collections.SCHEDULE_FIRINGS).deleteMany(new Document());
    }

    private static CapturedRun run(String... args) {
        String[] all = Stream.concat(Stream.concat(Stream.of("schedule"), Stream.of(args)),
                Stream.of("--mongo-uri", mongo.uri())).toArray(String[]::new);
        return CliRunner.run(all);
    }

    private static String[] reminder(String... overrides) {
        List<String> args = new ArrayList<>(List.of("add", "expiry", "--cron", "0 9 * * *", "--zone", "Europe/Berlin",
                "--catch-up", "all", "--subject", "{{daysLeft}} days left", "--from", "shop@example.com",
                "--text-template", text.toString(), "--audience", "{\"attributes.confirmed\": true}",
                "--window-field", "attributes.validts", "--days-before", "3,1", "--locale", "de-DE"));
        // An override replaces the option's value, or is added when the option is not there.
        for (int i = 0; i < overrides.length; i += 2) {
            int at = args.indexOf(overrides[i]);
            if (at < 0) {
                args.addAll(List.of(overrides[i], overrides[i + 1]));
            } else {
                args.set(at + 1, overrides[i + 1]);
            }
        }
        return args.toArray(String[]::new);
    }

    @Test
    void addStoresTheScheduleAndShowListsItsNextSlotsAndFirings() {
        CapturedRun added = run(reminder());
        assertThat(added.code()).as(added.err()).isEqualTo(Cli.OK);
        assertThat(added.out()).startsWith("added schedule expiry; first slot ");

        var stored = schedules.find("expiry").orElseThrow();
        assertThat(stored.trigger()).isEqualTo(new Trigger.Cron("0 9 * * *", ZoneId.of("Europe/Berlin")));
        assertThat(stored.catchUp()).isEqualTo(CatchUp.ALL);
        assertThat(stored.window().kind()).isEqualTo(DateKind.EPOCH_SECONDS);
        assertThat(stored.window().offsetDays()).containsExactly(3, 1);
        assertThat(stored.window().locale()).isEqualTo(Locale.GERMANY);

        Instant slot = Instant.parse("2026-03-01T08:00:00Z");
        new MongoFiringStore(connection).record(new Firing("expiry", slot, null, slot.plusSeconds(90),
                Duration.ofSeconds(90), "missed while no supervisor ran"));
        CapturedRun shown = run("show", "expiry");
        assertThat(shown.code()).as(shown.err()).isEqualTo(Cli.OK);
        assertThat(shown.out()).contains("cron '0 9 * * *' Europe/Berlin, catch-up all").contains("next slots:")
                .contains("  2026-03-01T08:00:00Z  skipped: missed while no supervisor ran");
        assertThat(run("list").out()).contains("expiry").contains("active");
    }

    @Test
    void showGivesEachFiringsFiguresAndEveryLateOrSkippedSlotWithWhy() {
        assertThat(run(reminder()).code()).isEqualTo(Cli.OK);
        assertThat(run("pause", "expiry").code()).isEqualTo(Cli.OK);
        assertThat(run("resume", "expiry").code()).isEqualTo(Cli.OK);
        assertThat(schedules.pauses("expiry")).singleElement().satisfies(p -> assertThat(p.until()).isNotNull());

        Instant onTime = Instant.parse("2026-03-01T08:00:00Z");
        Instant late = Instant.parse("2026-03-02T08:00:00Z");
        Instant skipped = Instant.parse("2026-03-03T08:00:00Z");
        var firingStore = new MongoFiringStore(connection);
        firingStore.record(new Firing("expiry", onTime, Firing.campaignId("expiry", onTime), onTime.plusSeconds(2),
                Duration.ofSeconds(2), null));
        String lateCampaign = Firing.campaignId("expiry", late);
        firingStore.record(new Firing("expiry", late, lateCampaign, late.plus(Duration.ofMinutes(123)),
                Duration.ofMinutes(123), null));
        firingStore.record(new Firing("expiry", skipped, null, skipped.plusSeconds(60), Duration.ofSeconds(60),
                "schedule paused 2026-03-02T12:00:00Z to 2026-03-04T12:00:00Z; catch-up LATEST fires only the latest slot"));
        new MongoCampaignStore(connection).insertIfAbsent(new Campaign(lateCampaign, "S", "shop@example.com", null, "t",
                null, Audience.SUBSCRIBED, 10, CampaignState.COMPLETED, null, 52, 1, late, late, late));
        ChunkRecord chunk = ChunkRecord.queued(new ChunkRange(lateCampaign, 0,
                IdRange.closed(SubscriberId.of(1), SubscriberId.of(52)), 52), 0);
        new MongoChunkStore(connection).insertAll(List.of(new ChunkRecord(chunk.campaignId(), 0, chunk.ids(), 52,
                ChunkState.DONE, null, 1, 0, 0, null, new ChunkCounts(40, 1, 3, 2, 5, 1))));

        CapturedRun shown = run("show", "expiry", "--firings", "2", "--late-or-skipped", "5");

        assertThat(shown.code()).as(shown.err()).isEqualTo(Cli.OK);
        assertThat(shown.out()).contains("last firings:\n"
                        + "  2026-03-03T08:00:00Z  skipped: schedule paused 2026-03-02T12:00:00Z to 2026-03-04T12:00:00Z; "
                        + "catch-up LATEST fires only the latest slot\n"
                        + "  2026-03-02T08:00:00Z  s-expiry-202603020800 COMPLETED eligible=52 sent=40 failed=1 suppressed=2 "
                        + "invalid=3 skipped=5 uncertain=1 late 7380.0 s\n"
                        + "late (over 5 min) or skipped:\n")
                .contains("  2026-03-02T08:00:00Z  late by 2 h 3 min, campaign s-expiry-202603020800\n")
                .doesNotContain("2026-03-01T08:00:00Z");

        CapturedRun negative = run("show", "expiry", "--late-or-skipped", "-1");
        assertThat(negative.code()).isEqualTo(Cli.USAGE);
        assertThat(negative.err().strip()).isEqualTo("error: --late-or-skipped must be 0 or more, got -1");
    }

    @Test
    void aScheduleNamesItsSubscriberSourceAsSubmitDoesAndOldSchedulesReadTheDefault() {
        CapturedRun added = run(reminder("--database", "crm", "--collection", "people", "--email-field", "contact.email",
                "--name-field", "", "--fields", "plan,validts"));
        assertThat(added.code()).as(added.err()).isEqualTo(Cli.OK);

        var stored = schedules.find("expiry").orElseThrow();
        var source = new SubscriberMapping("crm", "people", "contact.email", null, List.of("plan", "validts"));
        assertThat(stored.source()).isEqualTo(source);
        var slot = Instant.parse("2026-03-01T08:00:00Z");
        assertThat(SlotCampaign.draft(stored, slot, slot.plus(Duration.ofDays(1)), slot).audience().source())
                .as("each firing reads the schedule's source").isEqualTo(source);

        var collection = connection.database().getCollection(Collections.SCHEDULES);
        collection.updateOne(new Document("_id", "expiry"), new Document("$unset", new Document("source", "")));
        assertThat(schedules.find("expiry").orElseThrow().source()).as("a schedule stored before sources")
                .isEqualTo(SubscriberMapping.DEFAULT);

        CapturedRun bad = run(reminder("add", "other", "--collection", "system.users"));
        assertThat(bad.code()).isEqualTo(Cli.USAGE);
        assertThat(bad.err().strip()).startsWith("error: collection name 'system.users' is not one MongoDB accepts");
    }

    private static String[] replacing(String[] add) {
        return Stream.concat(Stream.of(add), Stream.of("--replace")).toArray(String[]::new);
    }

    @Test
    void replaceChangesAScheduleInPlaceKeepingItsHistoryAndPausedState() {
        assertThat(run(reminder()).code()).isEqualTo(Cli.OK);
        var before = schedules.find("expiry").orElseThrow();
        assertThat(run("pause", "expiry").code()).isEqualTo(Cli.OK);

        CapturedRun replaced = run(replacing(reminder("--cron", "30 7 * * 1-5", "--subject", "Only {{daysLeft}} days")));

        assertThat(replaced.code()).as(replaced.err()).isEqualTo(Cli.OK);
        assertThat(replaced.out()).startsWith("replaced schedule expiry; next slot ");
        var after = schedules.find("expiry").orElseThrow();
        assertThat(after.trigger()).isEqualTo(new Trigger.Cron("30 7 * * 1-5", ZoneId.of("Europe/Berlin")));
        assertThat(after.subject()).isEqualTo("Only {{daysLeft}} days");
        assertThat(after.createdAt()).as("its slot history goes on").isEqualTo(before.createdAt());
        assertThat(after.paused()).as("still paused").isTrue();

        CapturedRun unknown = run(replacing(reminder("add", "nope")));
        assertThat(unknown.code()).isEqualTo(Cli.NOT_FOUND);
        assertThat(unknown.err()).contains("no schedule 'nope' to replace; add it without --replace");
        CapturedRun twice = run(reminder());
        assertThat(twice.code()).isEqualTo(Cli.USAGE);
        assertThat(twice.err()).contains("change it with --replace");
    }

    @Test
    void pauseResumeAndRemoveSayWhenThereIsNoSuchSchedule() {
        run(reminder());

        assertThat(run("pause", "expiry").out()).isEqualTo("paused schedule expiry\n");
        assertThat(schedules.find("expiry").orElseThrow().paused()).isTrue();
        assertThat(run("resume", "expiry").out()).isEqualTo("resumed schedule expiry\n");
        assertThat(schedules.find("expiry").orElseThrow().paused()).isFalse();
        assertThat(run("remove", "expiry").code()).isEqualTo(Cli.OK);

        CapturedRun missing = run("pause", "expiry");
        assertThat(missing.code()).isEqualTo(Cli.NOT_FOUND);
        assertThat(missing.err().strip()).isEqualTo("error: no schedule 'expiry'");
    }

    private static String[] with(String[] args, String... more) {
        return Stream.concat(Stream.of(args), Stream.of(more)).toArray(String[]::new);
    }

    @Test
    void aScheduleCanRequireValidationAndOrderItDaysAhead() {
        CapturedRun added = run(with(reminder(), "--require-validation", "--confirmed-fields", "confirmed,optin",
                "--unverified", "wait", "--verdict-wait", "PT2H", "--validate-days-ahead", "2"));
        assertThat(added.code()).as(added.err()).isEqualTo(Cli.OK);

        var v = schedules.find("expiry").orElseThrow().validation();
        assertThat(v.confirmedFields()).containsExactly("confirmed", "optin");
        assertThat(v.unverified()).isEqualTo(io.mailcast.validation.ValidationRequirement.Unverified.WAIT);
        assertThat(v.waitAfterSlot()).isEqualTo(Duration.ofHours(2));
        assertThat(v.daysAhead()).isEqualTo(2);
        Instant slot = Instant.parse("2026-12-07T08:00:00Z");
        assertThat(v.requirementFor(slot).waitUntil()).as("each slot's campaign waits until 2 h after it")
                .isEqualTo(slot.plus(Duration.ofHours(2)));
        assertThat(run("show", "expiry").out()).contains("validation: confirmed confirmed,optin or checked-valid; "
                + "others waited for PT2H; each slot's audience checked 2 days ahead (job v-expiry-<slot>)");

        schedules.remove("expiry");
        for (String[] bad : List.of(
                with(reminder(), "--validate-days-ahead", "2"),
                with(reminder(), "--require-validation", "--unverified", "wait"),
                with(reminder(), "--require-validation", "--verdict-wait", "PT1H"),
                with(reminder(), "--require-validation", "--validate-days-ahead", "-1"),
                with(reminder("--cron", "*/5 * * * *"), "--require-validation", "--validate-days-ahead", "1"),
                with(reminder(), "--require-validation", "--confirmed-fields", "$where"))) {
            CapturedRun r = run(bad);
            assertThat(r.code()).as(String.join(" ", bad) + " -> " + r.err()).isEqualTo(Cli.USAGE);
            assertThat(r.err().strip()).startsWith("error: ").doesNotContain("\n");
        }
        assertThat(schedules.all()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--cron|61 9 * * *|is not a five-field cron expression",
            "--zone|Mars/Olympus|--zone 'Mars/Olympus' is not a time zone",
            "--catch-up|sometimes|--catch-up must be latest, all or skip",
            "--audience|{\"attributes.confirmed\": true}}|--audience is not valid JSON",
            "--subject|{{#daysLeft}}unclosed|subject is not valid Mustache",
            "--from|not a mailbox|--from",
            "--window-field|attributes..validts|must be a field name or dotted path",
            "--days-before|3,3|window offsets must be distinct days",
            "--window-kind|millis|--window-kind must be epoch-seconds or date",
            "--locale|xx-QQ|is not a known locale",
    })
    void badInputExitsTwoWithOneLineAndStoresNothing(String option, String value, String message) {
        CapturedRun r = run(reminder(option, value));

        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(Cli.USAGE);
        assertThat(r.err().strip()).startsWith("error: ").contains(message).doesNotContain("\n").doesNotContain("Exception");
        assertThat(schedules.all()).isEmpty();
    }

    @Test
    void aOneShotInThePastOrAWindowOnAOneShotIsRefused() {
        CapturedRun past = run("add", "once", "--at", "2020-01-01T00:00:00Z", "--subject", "s", "--from",
                "shop@example.com", "--text-template", text.toString());
        assertThat(past.code()).isEqualTo(Cli.USAGE);
        assertThat(past.err().strip()).isEqualTo("error: --at 2020-01-01T00:00:00Z is in the past; give a future time");

        CapturedRun both = run(reminder("--at", "2099-01-01T00:00:00Z"));
        assertThat(both.code()).isEqualTo(Cli.USAGE);

        CapturedRun again = run(reminder());
        assertThat(again.code()).isEqualTo(Cli.OK);
        CapturedRun duplicate = run(reminder());
        assertThat(duplicate.code()).isEqualTo(Cli.USAGE);
        assertThat(duplicate.err().strip()).isEqualTo("error: a schedule 'expiry' exists; change it with --replace, or remove it first, or pick another id");
        assertThat(schedules.all()).hasSize(1);
    }
}
