package io.mailcast.coordinator;

import com.hazelcast.core.HazelcastInstance;
import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.cli.Cli;
import io.mailcast.cluster.HazelcastChunkBoard;
import io.mailcast.engine.CampaignSubmitter;
import io.mailcast.sender.MailboxAddress;
import io.mailcast.store.AudienceFilter;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoSubscriberSource;
import io.mailcast.subscriber.Audience;
import io.mailcast.validation.ValidationRequirement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;
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

    @Option(names = "--chunk-size", defaultValue = "1000", description = "Recipients per chunk (default: ${DEFAULT-VALUE})")
    int chunkSize;

    @Option(names = "--require-validation", description = "Mail only confirmed or checked-valid recipients; the others "
            + "are recorded UNVERIFIED (see 'coordinator validate')")
    boolean requireValidation;

    @Option(names = "--confirmed-fields", defaultValue = "confirmed", description = "With --require-validation: "
            + "comma-separated subscriber attributes marking a confirmed address (default: ${DEFAULT-VALUE})")
    String confirmedFields;

    @Option(names = "--id", description = "Campaign id (letters, digits, . _ -); generated when absent")
    String id;

    @Override
    public Integer call() {
        Clock clock = Clock.systemUTC();
        Campaign draft = draft(clock);
        // Everything typed is checked before MongoDB or the cluster is touched: bad input stores nothing.
        CampaignSubmitter.check(draft);
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
                read(htmlTemplate, "--html-template"), new Audience(audience), chunkSize, CampaignState.PLANNING, null,
                0, 0, clock.instant(), null, null, requireValidation
                        ? new ValidationRequirement(Arrays.stream(confirmedFields.split(",")).map(String::strip).toList())
                        : null);
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
