package io.mailcast.reminder;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.time.ZoneId;

/**
 * An audience relative to the slot: subscribers whose date field falls in {@code [slot + N days, next slot + N days)}
 * for one of the offsets, so each date value falls in exactly one slot's window per offset.
 *
 * @param field      the date field's dotted path in the subscriber document, e.g. {@code validts} or
 *                   {@code attributes.validts}
 * @param offsetDays days before the date to remind, e.g. 3 and 1; distinct, each 0..3650
 * @param locale     how {@code {{expiresOn}}} is written
 * @param zone       the zone {@code {{expiresOn}}} is written in
 */
public record RelativeWindow(String field, DateKind kind, List<Integer> offsetDays, Locale locale, ZoneId zone) {

    public RelativeWindow {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(locale, "locale");
        Objects.requireNonNull(zone, "zone");
        if (!field.matches("[^.$\\s]+(\\.[^.$\\s]+)*")) {
            throw new IllegalArgumentException("the window's date field must be a field name or dotted path such as "
                    + "validts or attributes.validts, got '" + field + "'");
        }
        offsetDays = List.copyOf(offsetDays);
        if (offsetDays.isEmpty()) {
            throw new IllegalArgumentException("a window needs at least one offset in days, such as 3,1");
        }
        if (offsetDays.stream().distinct().count() != offsetDays.size()
                || offsetDays.stream().anyMatch(d -> d < 0 || d > 3650)) {
            throw new IllegalArgumentException("window offsets must be distinct days between 0 and 3650, got " + offsetDays);
        }
    }
}
