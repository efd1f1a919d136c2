package io.mailcast.reminder;

import io.mailcast.subscriber.Subscriber;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What makes a campaign a reminder: the schedule and slot it was fired for and the window its audience was cut by.
 * Gives each recipient's reminder key and the values its templates see.
 *
 * @param nextSlot the slot after {@code slot}: the window's end
 */
public record Reminder(String scheduleId, Instant slot, Instant nextSlot, RelativeWindow window) {

    private static final String ATTRIBUTES = "attributes.";

    public Reminder {
        Objects.requireNonNull(scheduleId, "scheduleId");
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(nextSlot, "nextSlot");
        Objects.requireNonNull(window, "window");
        if (!nextSlot.isAfter(slot)) {
            throw new IllegalArgumentException("the next slot " + nextSlot + " must come after the slot " + slot);
        }
    }

    /** The subscriber's date in epoch millis, or empty when the field is missing, 0, or not a date of the window's kind. */
    public OptionalLong dateMillis(Subscriber s) {
        Object value = valueAt(s, window.field());
        return switch (window.kind()) {
            case EPOCH_SECONDS -> value instanceof Number n && n.longValue() != 0
                    ? OptionalLong.of(n.longValue() * 1000) : OptionalLong.empty();
            case DATE -> value instanceof Date d ? OptionalLong.of(d.getTime()) : OptionalLong.empty();
        };
    }

    /**
     * The value at a dotted path of the subscriber's document; an {@code attributes.*} path also from its attributes
     * (subscribers read without their document's fields carry those only).
     */
    private static Object valueAt(Subscriber s, String path) {
        Object value = at(s.fields(), path);
        return value == null && path.startsWith(ATTRIBUTES) ? at(s.attributes(), path.substring(ATTRIBUTES.length())) : value;
    }

    private static Object at(Map<String, Object> document, String path) {
        Object value = document;
        for (String step : path.split("\\.")) {
            value = value instanceof Map<?, ?> m ? m.get(step) : null;
        }
        return value;
    }

    /** The offset whose window {@code [slot + N days, next slot + N days)} holds the date; empty when none does. */
    public OptionalInt offsetFor(long dateMillis) {
        for (int days : window.offsetDays()) {
            if (from(days).toEpochMilli() <= dateMillis && dateMillis < until(days).toEpochMilli()) {
                return OptionalInt.of(days);
            }
        }
        return OptionalInt.empty();
    }

    public Instant from(int offsetDays) {
        return plusDays(slot, offsetDays);
    }

    public Instant until(int offsetDays) {
        return plusDays(nextSlot, offsetDays);
    }

    /** Calendar days in the window's zone: across a DST change a day is 23 or 25 hours, and "3 days before" means dates. */
    private Instant plusDays(Instant instant, int days) {
        return instant.atZone(window.zone()).plusDays(days).toInstant();
    }

    /**
     * The key of one reminder: schedule, subscriber, the date it is about and the offset. The slot is no part of it,
     * so re-fired or overlapping slots and a changed cron find the same key; a renewed date makes a new one.
     */
    public static String key(String scheduleId, String subscriberKey, long dateMillis, int offsetDays) {
        return scheduleId + ":" + subscriberKey + ":" + dateMillis + ":" + offsetDays;
    }

    /**
     * {@code expiresOn} (the date, long form, in the window's locale and zone) and {@code daysLeft}: calendar days from
     * the slot's date to the expiry's date in the window's zone. Not the offset: a window runs to the next slot, which
     * is more than a day away when a cron time falls in a spring-forward gap or the cron is not daily, and a date early
     * on the following day is a day further. Not hours / 24: a DST day has 23 or 25 hours.
     */
    public Map<String, Object> values(Subscriber s) {
        OptionalLong date = dateMillis(s);
        if (date.isEmpty()) {
            return Map.of();
        }
        DateTimeFormatter format = DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(window.locale())
                .withZone(window.zone());
        OptionalInt offset = offsetFor(date.getAsLong());
        String expiresOn = format.format(Instant.ofEpochMilli(date.getAsLong()));
        return offset.isPresent() ? Map.of("expiresOn", expiresOn, "daysLeft", daysLeft(date.getAsLong()))
                : Map.of("expiresOn", expiresOn);
    }

    private int daysLeft(long dateMillis) {
        LocalDate slotDay = LocalDate.ofInstant(slot, window.zone());
        return (int) ChronoUnit.DAYS.between(slotDay, LocalDate.ofInstant(Instant.ofEpochMilli(dateMillis), window.zone()));
    }
}
