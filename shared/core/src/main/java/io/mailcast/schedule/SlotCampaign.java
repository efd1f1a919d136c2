package io.mailcast.schedule;

import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.reminder.DateKind;
import io.mailcast.reminder.Reminder;
import io.mailcast.reminder.RelativeWindow;
import io.mailcast.subscriber.Audience;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The campaign a schedule's slot submits: the schedule's definition, its audience cut by the slot's window. */
public final class SlotCampaign {

    private SlotCampaign() {
    }

    /** @param nextSlot the slot after this one, which ends a relative window; unused without one */
    public static Campaign draft(Schedule s, Instant slot, Instant nextSlot, Instant now) {
        Reminder reminder = s.window() == null ? null : new Reminder(s.id(), slot, nextSlot, s.window());
        Audience audience = new Audience(reminder == null ? s.audience() : windowed(s.audience(), reminder), s.source());
        return new Campaign(Firing.campaignId(s.id(), slot), s.subject(), s.from(), s.replyTo(), s.textTemplate(),
                s.htmlTemplate(), audience, s.chunkSize(), CampaignState.PLANNING, null, 0, 0, now, null, null,
                s.validation() == null ? null : s.validation().requirementFor(slot), reminder);
    }

    /** {@code {$and: [filter, {$or: [{field: {$gte: from, $lt: until}}, ...]}]}}, one range per offset. */
    static String windowed(String filter, Reminder reminder) {
        RelativeWindow w = reminder.window();
        List<String> ranges = new ArrayList<>();
        for (int days : w.offsetDays()) {
            ranges.add("{\"" + w.field() + "\": {\"$gte\": " + value(w.kind(), reminder.from(days)) + ", \"$lt\": "
                    + value(w.kind(), reminder.until(days)) + "}}");
        }
        return "{\"$and\": [" + filter.strip() + ", {\"$or\": [" + String.join(", ", ranges) + "]}]}";
    }

    private static String value(DateKind kind, Instant at) {
        return switch (kind) {
            case EPOCH_SECONDS -> Long.toString(at.getEpochSecond());
            case DATE -> "{\"$date\": {\"$numberLong\": \"" + at.toEpochMilli() + "\"}}";
        };
    }
}
