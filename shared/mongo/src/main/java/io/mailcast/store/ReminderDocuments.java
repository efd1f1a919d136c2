package io.mailcast.store;

import io.mailcast.reminder.DateKind;
import io.mailcast.reminder.RelativeWindow;
import io.mailcast.reminder.Reminder;
import org.bson.Document;

import java.time.ZoneId;
import java.util.Date;
import java.util.Locale;

/** Relative windows and reminders as sub-documents, shared by schedules and the campaigns they fire. */
final class ReminderDocuments {

    private ReminderDocuments() {
    }

    static Document window(RelativeWindow w) {
        return w == null ? null : new Document("field", w.field()).append("kind", w.kind().name())
                .append("offsetDays", w.offsetDays()).append("locale", w.locale().toLanguageTag())
                .append("zone", w.zone().getId());
    }

    static RelativeWindow window(Document d) {
        return d == null ? null : new RelativeWindow(d.getString("field"), DateKind.valueOf(d.getString("kind")),
                d.getList("offsetDays", Integer.class), Locale.forLanguageTag(d.getString("locale")),
                ZoneId.of(d.getString("zone")));
    }

    static Document reminder(Reminder r) {
        return r == null ? null : new Document("scheduleId", r.scheduleId()).append("slot", Date.from(r.slot()))
                .append("nextSlot", Date.from(r.nextSlot())).append("window", window(r.window()));
    }

    static Reminder reminder(Document d) {
        return d == null ? null : new Reminder(d.getString("scheduleId"), d.getDate("slot").toInstant(),
                d.getDate("nextSlot").toInstant(), window(d.get("window", Document.class)));
    }
}
