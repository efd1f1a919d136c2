package io.mailcast.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.mailcast.schedule.CatchUp;
import io.mailcast.schedule.Pause;
import io.mailcast.schedule.Schedule;
import io.mailcast.schedule.ScheduleStore;
import io.mailcast.schedule.ScheduleValidation;
import io.mailcast.schedule.Trigger;
import io.mailcast.validation.ValidationRequirement;
import org.bson.Document;

import java.time.Duration;
import java.time.Instant;
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
        Document oldDocument = schedules.find(Filters.eq("_id", schedule.id())).first();
        if (oldDocument == null) {
            return false;
        }
        Schedule old = fromDocument(oldDocument);
        Document replacement = toDocument(schedule.keeping(old));
        if (oldDocument.containsKey("pauses")) {
            replacement.append("pauses", oldDocument.get("pauses"));
        }
        // Keyed on the old createdAt too: a schedule removed and added again meanwhile is not overwritten.
        return schedules.replaceOne(Filters.and(Filters.eq("_id", schedule.id()),
                Filters.eq("createdAt", Date.from(old.createdAt()))), replacement).getMatchedCount() > 0;
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
    public boolean setPaused(String id, boolean paused, Instant at) {
        if (paused) {
            // Only an active schedule opens a pause; a second 'pause' keeps the first one's time.
            schedules.updateOne(Filters.and(Filters.eq("_id", id), Filters.ne("paused", true)), Updates.combine(
                    Updates.set("paused", true), Updates.push("pauses", new Document("from", Date.from(at)).append("until", null))));
        } else {
            Document d = schedules.find(Filters.eq("_id", id)).first();
            List<Document> pauses = d == null ? List.of() : d.getList("pauses", Document.class, List.of());
            if (d != null && Boolean.TRUE.equals(d.getBoolean("paused")) && !pauses.isEmpty()) {
                schedules.updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("paused", true)), Updates.combine(
                        Updates.set("paused", false), Updates.set("pauses." + (pauses.size() - 1) + ".until", Date.from(at))));
            } else {
                // A schedule paused before pauses were recorded has no pause to close.
                schedules.updateOne(Filters.eq("_id", id), Updates.set("paused", false));
            }
        }
        return schedules.countDocuments(Filters.eq("_id", id)) == 1;
    }

    @Override
    public List<Pause> pauses(String id) {
        Document d = schedules.find(Filters.eq("_id", id)).projection(new Document("pauses", 1)).first();
        if (d == null) {
            return List.of();
        }
        return d.getList("pauses", Document.class, List.of()).stream()
                .map(p -> new Pause(p.getDate("from").toInstant(),
                        p.getDate("until") == null ? null : p.getDate("until").toInstant()))
                .toList();
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
                .append("source", SubscriberMappings.toDocument(s.source()))
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
                SubscriberMappings.fromDocument(d.get("source", Document.class)),
                d.getInteger("chunkSize"), ReminderDocuments.window(d.get("window", Document.class)),
                d.getDate("createdAt").toInstant(), validation(d.get("validation", Document.class)));
    }
}
