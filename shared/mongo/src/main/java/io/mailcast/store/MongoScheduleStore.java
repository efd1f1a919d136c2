package io.mailcast.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.mailcast.schedule.CatchUp;
import io.mailcast.schedule.Schedule;
import io.mailcast.schedule.ScheduleStore;
import io.mailcast.schedule.ScheduleValidation;
import io.mailcast.schedule.Trigger;
import io.mailcast.validation.ValidationRequirement;
import org.bson.Document;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/** Schedules in the {@code schedules} collection, one document per schedule keyed by its id. */
public final class MongoScheduleStore implements ScheduleStore {

    private final MongoCollection<Document> schedules;

    public MongoScheduleStore(MongoConnection mongo) {
        this.schedules = mongo.database().getCollection(Collections.SCHEDULES);
    }

    @Override
    public boolean insert(Schedule schedule) {
        return InsertOnce.insert(schedules, toDocument(schedule));
    }

    @Override
    public boolean replace(Schedule schedule) {
        Optional<Schedule> old = find(schedule.id());
        // Keyed on the old createdAt too: a schedule removed and added again meanwhile is not overwritten.
        return old.isPresent() && schedules.replaceOne(Filters.and(Filters.eq("_id", schedule.id()),
                        Filters.eq("createdAt", Date.from(old.get().createdAt()))),
                toDocument(schedule.keeping(old.get()))).getMatchedCount() > 0;
    }

    @Override
    public Optional<Schedule> find(String id) {
        return Optional.ofNullable(schedules.find(Filters.eq("_id", id)).first()).map(MongoScheduleStore::fromDocument);
    }

    @Override
    public List<Schedule> all() {
        return schedules.find().sort(Sorts.ascending("_id")).map(MongoScheduleStore::fromDocument).into(new ArrayList<>());
    }

    @Override
    public boolean setPaused(String id, boolean paused) {
        return schedules.updateOne(Filters.eq("_id", id), Updates.set("paused", paused)).getMatchedCount() == 1;
    }

    @Override
    public boolean remove(String id) {
        return schedules.deleteOne(Filters.eq("_id", id)).getDeletedCount() == 1;
    }

    static Document toDocument(Schedule s) {
        Document trigger = switch (s.trigger()) {
            case Trigger.Once once -> new Document("once", Date.from(once.at()));
            case Trigger.Cron cron -> new Document("cron", cron.expression()).append("zone", cron.zone().getId());
        };
        return new Document("_id", s.id())
                .append("trigger", trigger)
                .append("catchUp", s.catchUp().name())
                .append("paused", s.paused())
                .append("subject", s.subject())
                .append("from", s.from())
                .append("replyTo", s.replyTo())
                .append("textTemplate", s.textTemplate())
                .append("htmlTemplate", s.htmlTemplate())
                .append("audience", s.audience())
                .append("chunkSize", s.chunkSize())
                .append("window", ReminderDocuments.window(s.window()))
                .append("createdAt", Date.from(s.createdAt()))
                .append("validation", validation(s.validation()));
    }

    private static Document validation(ScheduleValidation v) {
        return v == null ? null : new Document("confirmedFields", v.confirmedFields())
                .append("unverified", v.unverified().name())
                .append("waitAfterSlotSeconds", v.waitAfterSlot() == null ? null : v.waitAfterSlot().toSeconds())
                .append("daysAhead", v.daysAhead());
    }

    private static ScheduleValidation validation(Document d) {
        if (d == null) {
            return null;
        }
        Long wait = d.getLong("waitAfterSlotSeconds");
        return new ScheduleValidation(d.getList("confirmedFields", String.class),
                ValidationRequirement.Unverified.valueOf(d.getString("unverified")),
                wait == null ? null : Duration.ofSeconds(wait), d.getInteger("daysAhead", 0));
    }

    static Schedule fromDocument(Document d) {
        Document t = d.get("trigger", Document.class);
        Trigger trigger = t.containsKey("once") ? new Trigger.Once(t.getDate("once").toInstant())
                : new Trigger.Cron(t.getString("cron"), ZoneId.of(t.getString("zone")));
        return new Schedule(d.getString("_id"), trigger, CatchUp.valueOf(d.getString("catchUp")),
                Boolean.TRUE.equals(d.getBoolean("paused")), d.getString("subject"), d.getString("from"),
                d.getString("replyTo"), d.getString("textTemplate"), d.getString("htmlTemplate"), d.getString("audience"),
                d.getInteger("chunkSize"), ReminderDocuments.window(d.get("window", Document.class)),
                d.getDate("createdAt").toInstant(), validation(d.get("validation", Document.class)));
    }
}
