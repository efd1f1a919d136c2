package io.mailcast.coordinator;

import com.hazelcast.core.HazelcastInstance;
import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.cli.Cli;
import io.mailcast.cluster.HazelcastChunkBoard;
import io.mailcast.engine.CampaignPreview;
import io.mailcast.engine.CampaignSubmitter;
import io.mailcast.sender.MailboxAddress;
import io.mailcast.store.AudienceFilter;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoMessageStore;
import io.mailcast.store.MongoSubscriberSource;
import io.mailcast.store.MongoSuppressionList;
import io.mailcast.subscriber.Audience;
import io.mailcast.subscriber.IdRange;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.time.Sleeper;
import io.mailcast.validation.ValidationRequirement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

@Command(name = "submit", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Plans a campaign into chunks and hands them to the cluster. Prints the campaign id on its last line. "
                + "Submitting the same --id again never sends twice.")
public final class SubmitCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--subject", required = true, description = "Subject line; Mustache placeholders allowed")
    String subject;

    @Option(names = "--from", required = true, description = "Sender: news@example.com or \"News <news@example.com>\"; "
            + "quote a name with , : @ and the like: '\"News, Inc.\" <news@example.com>'")
    String from;

    @Option(names = "--reply-to", description = "Optional Reply-To mailbox, written like --from")
    String replyTo;

    @Option(names = "--text-template", description = "Mustache file for the plain-text body")
    Path textTemplate;

    @Option(names = "--html-template", description = "Mustache file for the HTML body (values are HTML-escaped)")
    Path htmlTemplate;

    @Option(names = "--audience", defaultValue = "{\"subscribed\": true}",
            description = "MongoDB filter selecting recipients, one JSON object (default: ${DEFAULT-VALUE})")
    String audience;

    @Mixin
    SourceOptions subscriberSource;

    @Option(names = "--chunk-size", defaultValue = "1000", description = "Recipients per chunk (default: ${DEFAULT-VALUE})")
    int chunkSize;

    @Option(names = "--require-validation", description = "Mail only confirmed or checked-valid recipients; the others "
            + "are recorded UNVERIFIED (see 'coordinator validate')")
    boolean requireValidation;

    @Option(names = "--confirmed-fields", defaultValue = "confirmed", description = "With --require-validation: "
            + "comma-separated subscriber attributes marking a confirmed address (default: ${DEFAULT-VALUE})")
    String confirmedFields;

    @Option(names = "--unverified", defaultValue = "skip", description = "With --require-validation: what happens "
            + "to a recipient without any verdict yet: skip (recorded UNVERIFIED at once) or wait (its chunk waits for "
            + "a verdict until --verdict-deadline, then records it UNVERIFIED) (default: ${DEFAULT-VALUE})")
    String unverified;

    @Option(names = "--verdict-deadline", description = "With --unverified wait: when waiting for verdicts ends, an "
            + "instant (2026-12-07T08:00:00Z) or a duration from now (PT6H)")
    String verdictDeadline;

    @Option(names = "--id", description = "Campaign id (letters, digits, . _ -); generated when absent")
    String id;

    @Option(names = "--dry-run", description = "Count the audience, show the chunk plan and the first recipients' "
            + "messages (headers and both parts); store nothing, send nothing")
    boolean dryRun;

    @Option(names = "--preview", defaultValue = "3", paramLabel = "N",
            description = "With --dry-run: how many recipients' messages to show, 0-100 (default: ${DEFAULT-VALUE})")
    int preview;

    @Option(names = "--test-to", split = ",", paramLabel = "ADDRESS",
            description = "Send the message to these addresses only (1-10, comma-separated), built from one "
                    + "subscriber's data; recorded with the send API's messages, no campaign is stored")
    List<String> testTo;

    @Option(names = "--test-subscriber", paramLabel = "ID",
            description = "With --test-to: whose data fills the templates, the id as status shows it (42, "
                    + "oid:65f1..., s:alice) or a bare ObjectId (default: the first eligible subscriber)")
    String testSubscriber;

    @Option(names = "--test-wait-seconds", defaultValue = "30", paramLabel = "S",
            description = "With --test-to: how long to wait for a node to send it, 0-600 (default: ${DEFAULT-VALUE})")
    long testWaitSeconds;

    @Override
    public Integer call() throws InterruptedException {
        Clock clock = Clock.systemUTC();
        Campaign draft = draft(clock);
        // Everything typed is checked before MongoDB or the cluster is touched: bad input stores nothing.
        CampaignSubmitter.check(draft);
        checkPreviewOptions();
        if (dryRun) {
            return dryRun(draft, clock);
        }
        if (testTo != null) {
            return testSend(draft, clock);
        }
        try (MongoConnection mongo = connection.mongo().ensureIndexes()) {
            HazelcastInstance cluster = connection.cluster();
            try {
                var submitter = new CampaignSubmitter(new MongoCampaignStore(mongo), new MongoChunkStore(mongo),
                        new HazelcastChunkBoard(cluster), new MongoSubscriberSource(mongo), clock);
                CampaignSubmitter.Submitted submitted = submitter.submit(draft);
                Campaign c = submitted.campaign();
                System.out.printf("%s campaign %s: %,d eligible recipients in %,d chunks (%s)%n",
                        submitted.created() ? "submitted" : "already known:", c.id(), c.eligible(), c.chunks(), c.state());
                System.out.println(c.id());
                return Cli.OK;
            } finally {
                cluster.shutdown();
            }
        }
    }

    private void checkPreviewOptions() {
        if (dryRun && testTo != null) {
            throw new IllegalArgumentException("give --dry-run or --test-to, not both");
        }
        if (preview < 0 || preview > 100) {
            throw new IllegalArgumentException("--preview must be between 0 and 100, got " + preview);
        }
        if (testTo == null && testSubscriber != null) {
            throw new IllegalArgumentException("--test-subscriber goes with --test-to ADDRESS");
        }
        if (testWaitSeconds < 0 || testWaitSeconds > 600) {
            throw new IllegalArgumentException("--test-wait-seconds must be between 0 and 600, got " + testWaitSeconds);
        }
        if (testTo != null) {
            testTo = TestSend.checkedAddresses(testTo);
        }
    }

    private int dryRun(Campaign draft, Clock clock) {
        try (MongoConnection mongo = connection.mongo()) {
            var preview = new CampaignPreview(draft, new MongoSubscriberSource(mongo));
            new DryRunReport(preview, new MongoSuppressionList(mongo), clock, System.out).print(draft, this.preview);
            return Cli.OK;
        }
    }

    private int testSend(Campaign draft, Clock clock) throws InterruptedException {
        SubscriberId chosen = testSubscriber == null ? null : TestSend.typedId(testSubscriber);
        try (MongoConnection mongo = connection.mongo().ensureIndexes()) {
            var source = new MongoSubscriberSource(mongo);
            List<Subscriber> found = chosen == null
                    ? source.firstEligible(draft.audience(), 1)
                    : source.eligibleInRange(draft.audience().everyone(), IdRange.of(chosen), 1);
            if (found.isEmpty()) {
                throw new Cli.NotFoundException(chosen == null
                        ? "no subscriber matches --audience, so there is no data to build the test message from; "
                        + "change --audience or name one with --test-subscriber ID"
                        : "no subscriber with id " + testSubscriber + "; give an id from the subscriber collection");
            }
            return new TestSend(new MongoMessageStore(mongo), clock, Sleeper.SYSTEM, System.out)
                    .send(new CampaignPreview(draft, source), found.getFirst(), testTo, Duration.ofSeconds(testWaitSeconds));
        }
    }

    Campaign draft(Clock clock) {
        if (textTemplate == null && htmlTemplate == null) {
            throw new IllegalArgumentException("give --text-template FILE, --html-template FILE, or both");
        }
        if (chunkSize < 1 || chunkSize > 100_000) {
            throw new IllegalArgumentException("--chunk-size must be between 1 and 100000, got " + chunkSize);
        }
        String campaignId = id == null ? generatedId(clock.instant()) : id;
        if (!campaignId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("--id must be 1-64 letters, digits, '.', '_' or '-'");
        }
        MailboxAddress.parse("--from", from);
        if (replyTo != null) {
            MailboxAddress.parse("--reply-to", replyTo);
        }
        AudienceFilter.parse("--audience", audience);
        return new Campaign(campaignId, subject, from, replyTo, read(textTemplate, "--text-template"),
                read(htmlTemplate, "--html-template"), new Audience(audience, subscriberSource.mapping()), chunkSize, CampaignState.PLANNING, null,
                0, 0, clock.instant(), null, null, validation(clock));
    }

    private ValidationRequirement validation(Clock clock) {
        boolean waits = switch (unverified) {
            case "skip" -> false;
            case "wait" -> true;
            default -> throw new IllegalArgumentException("--unverified must be skip or wait, got " + unverified);
        };
        if (!requireValidation) {
            if (waits || verdictDeadline != null) {
                throw new IllegalArgumentException("--unverified and --verdict-deadline need --require-validation");
            }
            return null;
        }
        List<String> confirmed = Arrays.stream(confirmedFields.split(",")).map(String::strip).toList();
        if (!waits) {
            if (verdictDeadline != null) {
                throw new IllegalArgumentException("--verdict-deadline needs --unverified wait");
            }
            return new ValidationRequirement(confirmed);
        }
        if (verdictDeadline == null) {
            throw new IllegalArgumentException("--unverified wait needs --verdict-deadline INSTANT|DURATION: when to "
                    + "stop waiting and record the recipients still without a verdict UNVERIFIED");
        }
        Instant until = InstantOrDuration.parse("--verdict-deadline", verdictDeadline, clock.instant());
        return new ValidationRequirement(confirmed, ValidationRequirement.Unverified.WAIT, until);
    }

    static String read(Path file, String option) {
        if (file == null) {
            return null;
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + option + " " + file + " (" + e.getClass().getSimpleName()
                    + "); check the path and permissions", e);
        }
    }

    private static String generatedId(Instant now) {
        return "c-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(now) + "-"
                + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    }
}
