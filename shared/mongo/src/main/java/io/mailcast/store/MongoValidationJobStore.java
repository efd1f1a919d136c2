package io.mailcast.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.mailcast.subscriber.Audience;
import io.mailcast.validation.ValidationRequirement;
import io.mailcast.validation.job.ValidationJob;
import io.mailcast.validation.job.ValidationJobStore;
import io.mailcast.validation.job.ValidationTally;
import org.bson.Document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/** Validation jobs in {@code validation_jobs}, one document each; {@code finishedAt} is absent while a job is open. */
public final class MongoValidationJobStore implements ValidationJobStore {

    private final MongoCollection<Document> jobs;

    public MongoValidationJobStore(MongoConnection mongo) {
        this.jobs = mongo.database().getCollection(Collections.VALIDATION_JOBS);
    }

    @Override
    public boolean create(ValidationJob job) {
        return InsertOnce.insert(jobs, new Document("_id", job.id())
                .append("audience", job.audience().filterJson())
                .append("source", SubscriberMappings.toDocument(job.audience().source()))
                .append("confirmedFields", job.rule().confirmedFields())
                .append("deadline", job.deadline() == null ? null : Date.from(job.deadline()))
                .append("chunks", job.chunks())
                .append("createdAt", Date.from(job.createdAt())));
    }

    @Override
    public Optional<ValidationJob> find(String id) {
        return Optional.ofNullable(jobs.find(Filters.eq("_id", id)).first()).map(MongoValidationJobStore::job);
    }

    @Override
    public List<ValidationJob> open() {
        return jobs.find(Filters.exists("finishedAt", false)).map(MongoValidationJobStore::job).into(new ArrayList<>());
    }

    @Override
    public boolean finish(String id, ValidationTally t, Instant at) {
        return jobs.updateOne(Filters.and(Filters.eq("_id", id), Filters.exists("finishedAt", false)),
                Updates.combine(Updates.set("finishedAt", Date.from(at)), Updates.set("verified", t.verified()),
                        Updates.set("invalid", t.invalid()), Updates.set("confirmed", t.confirmed()),
                        Updates.set("unchecked", t.unchecked()))).getModifiedCount() == 1;
    }

    @Override
    public Optional<Instant> finishedAt(String id) {
        Document d = jobs.find(Filters.eq("_id", id)).first();
        return Optional.ofNullable(d == null ? null : d.getDate("finishedAt")).map(Date::toInstant);
    }

    private static ValidationJob job(Document d) {
        Date deadline = d.getDate("deadline");
        return new ValidationJob(d.getString("_id"),
                new Audience(d.getString("audience"), SubscriberMappings.fromDocument(d.get("source", Document.class))),
                new ValidationRequirement(d.getList("confirmedFields", String.class)),
                deadline == null ? null : deadline.toInstant(), d.getInteger("chunks"), d.getDate("createdAt").toInstant());
    }
}
