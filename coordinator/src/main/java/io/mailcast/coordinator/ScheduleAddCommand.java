package io.mailcast.coordinator;

import io.mailcast.cli.Cli;
import io.mailcast.engine.CampaignSubmitter;
import io.mailcast.reminder.DateKind;
import io.mailcast.reminder.RelativeWindow;
import io.mailcast.schedule.CatchUp;
import io.mailcast.schedule.Schedule;
import io.mailcast.schedule.ScheduleValidation;
import io.mailcast.schedule.SlotCampaign;
import io.mailcast.schedule.Slots;
import io.mailcast.schedule.Trigger;
import io.mailcast.sender.MailboxAddress;
import io.mailcast.store.AudienceFilter;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoScheduleStore;
import io.mailcast.validation.ValidationRequirement;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code coordinator schedule add}: stores a schedule the cluster fires by itself. Everything is checked first (cron,
 * zones, templates, addresses, the audience with its window) so bad input stores nothing.
 */
@Command(name = "add", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Stores a schedule: a one-shot time or a cron expression, and the campaign every slot submits.")
final class ScheduleAddCommand implements Callable<Integer> {

    /** Validation ahead plans one job per slot: fine for daily reminders, not for a slot every minute. */
    private static final int MAX_VALIDATED_SLOTS_PER_DAY = 24;

    @Mixin
    ConnectionOptions connection;

    @Parameters(paramLabel = "ID", description = "Schedule id: 1-64 letters, digits, '-' or '_'")
    String id;

    @ArgGroup(multiplicity = "1")
    When when;

    static final class When {
        @Option(names = "--cron", required = true,
                description = "Five-field cron: minute hour day-of-month month day-of-week, e.g. '0 9 * * *'")
        String cron;

        @Option(names = "--at", required = true, description = "One-shot time, ISO-8601 such as 2026-12-24T09:00:00Z")
        String at;
    }

    @Option(names = "--zone", defaultValue = "UTC", description = "Time zone of the cron expression (default: ${DEFAULT-VALUE})")
    String zone;

    @Option(names = "--catch-up", defaultValue = "latest",
            description = "Slots missed while the cluster was down: latest (fire the latest once), all, or skip "
                    + "(default: ${DEFAULT-VALUE}); reminders want all")
    String catchUp;

    @Option(names = "--subject", required = true, description = "Subject line; Mustache placeholders allowed")
    String subject;

    @Option(names = "--from", required = true, description = "Sender mailbox, as for submit")
    String from;

    @Option(names = "--reply-to", description = "Optional Reply-To mailbox")
    String replyTo;

    @Option(names = "--text-template", description = "Mustache file for the plain-text body")
    Path textTemplate;

    @Option(names = "--html-template", description = "Mustache file for the HTML body")
    Path htmlTemplate;

    @Option(names = "--audience", defaultValue = "{\"subscribed\": true}",
            description = "MongoDB filter every slot's audience starts from (default: ${DEFAULT-VALUE})")
    String audience;

    @Mixin
    SourceOptions subscriberSource;

    @Option(names = "--chunk-size", defaultValue = "1000", description = "Recipients per chunk (default: ${DEFAULT-VALUE})")
    int chunkSize;

    @Option(names = "--window-field", description = "Date field (dotted path) of a relative audience, e.g. validts or "
            + "attributes.validts: "
            + "each slot takes those whose date is between slot + N days and next slot + N days")
    String windowField;

    @Option(names = "--window-kind", defaultValue = "epoch-seconds",
            description = "How the date field is stored: epoch-seconds (0 for none) or date (default: ${DEFAULT-VALUE})")
    String windowKind;

    @Option(names = "--days-before", split = ",", description = "Offsets of the window in days, e.g. 3,1")
    List<Integer> daysBefore;

    @Option(names = "--replace", description = "Change the existing schedule ID in place: the new definition applies "
            + "from its next slot on; its firing history, paused state and sent reminders stay")
    boolean replace;

    @Option(names = "--require-validation", description = "Every slot's campaign mails only confirmed or checked-valid "
            + "recipients; the others are recorded UNVERIFIED (or waited for, with --unverified wait)")
    boolean requireValidation;

    @Option(names = "--confirmed-fields", defaultValue = "confirmed", description = "With --require-validation: "
            + "comma-separated subscriber attributes marking a confirmed address (default: ${DEFAULT-VALUE})")
    String confirmedFields;

    @Option(names = "--unverified", defaultValue = "skip", description = "With --require-validation: skip (record "
            + "UNVERIFIED at once) or wait (for a verdict until --verdict-wait after the slot) (default: ${DEFAULT-VALUE})")
    String unverified;

    @Option(names = "--verdict-wait", description = "With --unverified wait: how long after its slot a campaign waits "
            + "for verdicts, e.g. PT2H")
    Duration verdictWait;

    @Option(names = "--validate-days-ahead", defaultValue = "0", description = "With --require-validation: the nodes "
            + "check each slot's audience this many days before the slot (a validation job v-<schedule>-<slot>); "
            + "0 for none (default: ${DEFAULT-VALUE})")
    int validateDaysAhead;

    @Option(names = "--locale", defaultValue = "en", description = "Locale of {{expiresOn}} (default: ${DEFAULT-VALUE})")
    String locale;

    @Option(names = "--date-zone", description = "Zone of {{expiresOn}} (default: --zone)")
    String dateZone;

    @Override
    public Integer call() {
        Instant now = Clock.systemUTC().instant();
        Schedule schedule = schedule(now);
        Instant first = Slots.of(schedule.trigger()).next(now).orElseThrow();
        try (MongoConnection mongo = connection.mongo()) {
            MongoScheduleStore store = new MongoScheduleStore(mongo);
            if (replace) {
                if (!store.replace(schedule)) {
                    throw new Cli.NotFoundException("no schedule '" + id + "' to replace; add it without --replace");
                }
                System.out.println("replaced schedule " + id + "; next slot " + first + " (slots already fired stay "
                        + "fired, and a reminder already sent for a date is not sent again)");
                return Cli.OK;
            }
            if (!store.insert(schedule)) {
                throw new IllegalArgumentException("a schedule '" + id + "' exists; change it with --replace, or "
                        + "remove it first, or pick another id");
            }
        }
        System.out.println("added schedule " + id + "; first slot " + first);
        return Cli.OK;
    }

    /** The schedule typed, checked as its first slot's campaign would be; throws IllegalArgumentException naming the problem. */
    Schedule schedule(Instant now) {
        ZoneId cronZone = zone("--zone", zone);
        Trigger trigger = when.cron != null ? new Trigger.Cron(when.cron, cronZone) : new Trigger.Once(instant(when.at));
        Slots slots = Slots.of(trigger);
        Instant first = slots.next(now).orElseThrow(() -> new IllegalArgumentException("--at " + when.at
                + " is in the past; give a future time"));
        if (textTemplate == null && htmlTemplate == null) {
            throw new IllegalArgumentException("give --text-template FILE, --html-template FILE, or both");
        }
        if (chunkSize < 1 || chunkSize > 100_000) {
            throw new IllegalArgumentException("--chunk-size must be between 1 and 100000, got " + chunkSize);
        }
        MailboxAddress.parse("--from", from);
        if (replyTo != null) {
            MailboxAddress.parse("--reply-to", replyTo);
        }
        AudienceFilter.parse("--audience", audience);
        if (validateDaysAhead > 0 && slots.between(now, now.plus(Duration.ofDays(1)), MAX_VALIDATED_SLOTS_PER_DAY + 1)
                .size() > MAX_VALIDATED_SLOTS_PER_DAY) {
            throw new IllegalArgumentException("--validate-days-ahead orders a validation job per slot, each planning "
                    + "its audience; this schedule fires more than " + MAX_VALIDATED_SLOTS_PER_DAY + " times a day: "
                    + "order one job with 'coordinator validate --cluster' instead");
        }
        Schedule schedule = new Schedule(id, trigger, catchUp(), false, subject, from, replyTo,
                SubmitCommand.read(textTemplate, "--text-template"), SubmitCommand.read(htmlTemplate, "--html-template"),
                audience, subscriberSource.mapping(), chunkSize, window(cronZone), now, validation());
        var firstCampaign = SlotCampaign.draft(schedule, first, slots.next(first).orElse(first.plusSeconds(86_400)), now);
        CampaignSubmitter.check(firstCampaign);
        AudienceFilter.parse("the window's audience", firstCampaign.audience().filterJson());
        return schedule;
    }

    private ScheduleValidation validation() {
        var mode = switch (unverified) {
            case "skip" -> ValidationRequirement.Unverified.SKIP;
            case "wait" -> ValidationRequirement.Unverified.WAIT;
            default -> throw new IllegalArgumentException("--unverified must be skip or wait, got " + unverified);
        };
        if (!requireValidation) {
            if (mode == ValidationRequirement.Unverified.WAIT || verdictWait != null || validateDaysAhead != 0) {
                throw new IllegalArgumentException("--unverified, --verdict-wait and --validate-days-ahead need "
                        + "--require-validation");
            }
            return null;
        }
        if (mode == ValidationRequirement.Unverified.WAIT && verdictWait == null) {
            throw new IllegalArgumentException("--unverified wait needs --verdict-wait DURATION (e.g. PT2H): how long "
                    + "after its slot a campaign waits for verdicts");
        }
        if (mode == ValidationRequirement.Unverified.SKIP && verdictWait != null) {
            throw new IllegalArgumentException("--verdict-wait needs --unverified wait");
        }
        if (validateDaysAhead < 0 || validateDaysAhead > 365) {
            throw new IllegalArgumentException("--validate-days-ahead must be between 0 and 365, got " + validateDaysAhead);
        }
        try {
            return new ScheduleValidation(Arrays.stream(confirmedFields.split(",")).map(String::strip).toList(), mode,
                    verdictWait, validateDaysAhead);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--confirmed-fields / --verdict-wait: " + e.getMessage(), e);
        }
    }

    private RelativeWindow window(ZoneId cronZone) {
        if (windowField == null) {
            if (daysBefore != null) {
                throw new IllegalArgumentException("--days-before needs --window-field, e.g. --window-field attributes.validts");
            }
            return null;
        }
        if (daysBefore == null) {
            throw new IllegalArgumentException("--window-field needs --days-before, e.g. --days-before 3,1");
        }
        DateKind kind = switch (windowKind.strip().toLowerCase(Locale.ROOT)) {
            case "epoch-seconds" -> DateKind.EPOCH_SECONDS;
            case "date" -> DateKind.DATE;
            default -> throw new IllegalArgumentException("--window-kind must be epoch-seconds or date, got '" + windowKind + "'");
        };
        Locale dateLocale = Locale.forLanguageTag(locale);
        if (dateLocale.getLanguage().isEmpty() || !Arrays.asList(Locale.getAvailableLocales()).contains(dateLocale)) {
            throw new IllegalArgumentException("--locale '" + locale + "' is not a known locale; give a tag such as en, en-GB or de-DE");
        }
        return new RelativeWindow(windowField, kind, daysBefore, dateLocale,
                dateZone == null ? cronZone : zone("--date-zone", dateZone));
    }

    private CatchUp catchUp() {
        try {
            return CatchUp.valueOf(catchUp.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--catch-up must be latest, all or skip, got '" + catchUp + "'");
        }
    }

    private static ZoneId zone(String option, String value) {
        try {
            return ZoneId.of(value);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(option + " '" + value + "' is not a time zone; give a region such as "
                    + "Europe/Berlin, or UTC");
        }
    }

    private static Instant instant(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--at '" + value + "' is not an ISO-8601 instant such as 2026-12-24T09:00:00Z");
        }
    }
}
