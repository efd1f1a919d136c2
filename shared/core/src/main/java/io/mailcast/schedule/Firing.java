package io.mailcast.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * One slot of a schedule, fired or skipped. Fired: the campaign it submitted and how late. Skipped: why.
 *
 * @param campaignId the campaign of the slot, {@code null} when skipped
 * @param skipped    why the slot was not fired, {@code null} when fired
 */
public record Firing(String scheduleId, Instant slot, String campaignId, Instant at, Duration lateBy, String skipped) {

    private static final DateTimeFormatter SLOT_FORMAT = DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);

    public Firing {
        Objects.requireNonNull(scheduleId, "scheduleId");
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(lateBy, "lateBy");
        if ((campaignId == null) == (skipped == null)) {
            throw new IllegalArgumentException("a firing has either a campaign or a reason it was skipped");
        }
    }

    /** {@code s-<scheduleId>-<yyyyMMddHHmm>} in UTC: one campaign per slot, whoever fires it. */
    public static String campaignId(String scheduleId, Instant slot) {
        String id = "s-" + scheduleId + "-" + SLOT_FORMAT.format(slot);
        // Slots within a minute (a one-shot time with seconds) keep their own campaign.
        return slot.getEpochSecond() % 60 == 0 && slot.getNano() == 0 ? id : id + "-" + slot.toEpochMilli();
    }

    public boolean fired() {
        return campaignId != null;
    }
}
