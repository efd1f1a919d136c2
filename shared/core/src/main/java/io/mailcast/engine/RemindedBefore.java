package io.mailcast.engine;

import io.mailcast.reminder.Reminder;
import io.mailcast.reminder.ReminderClaims;
import io.mailcast.subscriber.Subscriber;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Splits a reminder campaign's chunk into those to remind and those reminded before (by another slot, or a schedule
 * whose windows overlap) about the same date and offset: one claim call per chunk.
 */
final class RemindedBefore {

    /** A recipient not to mail, and why. */
    record Skip(Subscriber subscriber, String reason) {
    }

    record Split(List<Subscriber> toSend, List<Skip> skipped) {
    }

    private RemindedBefore() {
    }

    static Split split(String campaignId, Reminder reminder, List<Subscriber> recipients, ReminderClaims claims) {
        Map<Subscriber, String> keys = new LinkedHashMap<>();
        List<Skip> skipped = new ArrayList<>();
        for (Subscriber s : recipients) {
            OptionalLong date = reminder.dateMillis(s);
            OptionalInt offset = date.isPresent() ? reminder.offsetFor(date.getAsLong()) : OptionalInt.empty();
            if (offset.isEmpty()) {
                // The date changed after planning and is no longer in this slot's window (the query checks it too).
                skipped.add(new Skip(s, "its " + reminder.window().field() + " is outside this slot's window"));
            } else {
                keys.put(s, Reminder.key(reminder.scheduleId(), s.id().key(), date.getAsLong(), offset.getAsInt()));
            }
        }
        Map<String, String> holders = keys.isEmpty() ? Map.of() : claims.claim(campaignId, keys.values());
        List<Subscriber> toSend = new ArrayList<>(keys.size());
        keys.forEach((s, key) -> {
            String holder = holders.get(key);
            if (holder == null || holder.equals(campaignId)) {
                toSend.add(s);
            } else {
                skipped.add(new Skip(s, "already reminded about this date by campaign " + holder));
            }
        });
        return new Split(toSend, skipped);
    }
}
