package io.mailcast.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignReactions;
import io.mailcast.campaign.CampaignState;
import io.mailcast.campaign.CampaignStore;
import io.mailcast.chunk.ChunkCounts;
import io.mailcast.subscriber.Audience;
import io.mailcast.validation.ValidationRequirement;
import org.bson.Document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

public final class MongoCampaignStore implements CampaignStore {

    /** Unsubscribes through the campaign's links, counted on the campaign document. */
    static final String UNSUBSCRIBED = "unsubscribed";

    private final MongoCollection<Document> campaigns;

    public MongoCampaignStore(MongoConnection mongo) {
        this.campaigns = mongo.database().getCollection(Collections.CAMPAIGNS);
    }

    @Override
    public Campaign insertIfAbsent(Campaign campaign) {
        if (InsertOnce.insert(campaigns, toDocument(campaign))) {
            return campaign;
        }
        return find(campaign.id()).orElseThrow(() -> new IllegalStateException("campaign " + campaign.id()
                + " was refused as a duplicate but cannot be read back"));
    }

    @Override
    public Optional<Campaign> find(String id) {
        return Optional.ofNullable(campaigns.find(Filters.eq("_id", id)).first()).map(MongoCampaignStore::fromDocument);
    }

    @Override
    public List<Campaign> all() {
        return campaigns.find().sort(Sorts.ascending("createdAt")).map(MongoCampaignStore::fromDocument).into(new ArrayList<>());
    }

    @Override
    public List<Campaign> inStates(CampaignState... states) {
        List<String> names = Arrays.stream(states).map(Enum::name).toList();
        return campaigns.find(Filters.in("state", names)).map(MongoCampaignStore::fromDocument).into(new ArrayList<>());
    }

    @Override
    public Map<Campaign, CampaignReactions> reactionsOfUnfinishedOrFinishedSince(Instant since) {
        Map<Campaign, CampaignReactions> found = new LinkedHashMap<>();
        campaigns.find(Filters.or(Filters.eq("finishedAt", null), Filters.gte("finishedAt", Date.from(since))))
                .forEach(d -> found.put(fromDocument(d), reactionsOf(d)));
        return found;
    }

    @Override
    public boolean transition(String id, CampaignState to, String reason, Instant at, CampaignState... from) {
        List<String> names = Arrays.stream(from).map(Enum::name).toList();
        var update = new ArrayList<>(List.of(Updates.set("state", to.name()), Updates.set("stateReason", reason)));
        if (to.isFinal()) {
            update.add(Updates.set("finishedAt", Date.from(at)));
        } else if (to == CampaignState.RUNNING) {
            update.add(Updates.set("finishedAt", null));
        }
        boolean changed = campaigns.updateOne(Filters.and(Filters.eq("_id", id), Filters.in("state", names)),
                Updates.combine(update)).getModifiedCount() == 1;
        if (changed && to == CampaignState.RUNNING) {
            campaigns.updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("startedAt", null)),
                    Updates.set("startedAt", Date.from(at)));
        }
        return changed;
    }

    @Override
    public boolean completed(String id, ChunkCounts totals, Instant at) {
        boolean done = transition(id, CampaignState.COMPLETED, null, at, CampaignState.RUNNING);
        if (done) {
            campaigns.updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("sent", totals.sent()),
                    Updates.set("failed", totals.failed()), Updates.set("invalid", totals.invalid()),
                    Updates.set("suppressed", totals.suppressed()), Updates.set("skipped", totals.skipped()),
                    Updates.set("uncertain", totals.uncertain()), Updates.set("unverified", totals.unverified())));
        }
        return done;
    }

    @Override
    public boolean holdPlanning(String id, String planner, Instant until, Instant now, Instant orphanedBefore) {
        return campaigns.updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("state", CampaignState.PLANNING.name()),
                        Filters.or(Filters.eq("planner", planner), Filters.lt("planningUntil", Date.from(now)),
                                Filters.and(Filters.eq("planningUntil", null), Filters.lt("createdAt", Date.from(orphanedBefore))))),
                Updates.combine(Updates.set("planner", planner), Updates.set("planningUntil", Date.from(until))))
                .getMatchedCount() == 1;
    }

    @Override
    public void recordSender(String id, String senderKind) {
        campaigns.updateOne(Filters.eq("_id", id), Updates.addToSet("senders", senderKind));
    }

    @Override
    public Set<String> senders(String id) {
        Document d = campaigns.find(Filters.eq("_id", id)).projection(Projections.include("senders")).first();
        List<String> kinds = d == null ? null : d.getList("senders", String.class);
        return kinds == null ? Set.of() : new TreeSet<>(kinds);
    }

    @Override
    public CampaignReactions reactions(String id) {
        Document d = campaigns.find(Filters.eq("_id", id)).projection(Projections.include(UNSUBSCRIBED,
                MongoBounceStore.BOUNCED, MongoBounceStore.HARD_BOUNCED, MongoBounceStore.COMPLAINTS)).first();
        return d == null ? CampaignReactions.NONE : reactionsOf(d);
    }

    private static CampaignReactions reactionsOf(Document d) {
        return new CampaignReactions(number(d, UNSUBSCRIBED), number(d, MongoBounceStore.BOUNCED),
                number(d, MongoBounceStore.HARD_BOUNCED), number(d, MongoBounceStore.COMPLAINTS));
    }

    @Override
    public void countUnsubscribe(String id) {
        campaigns.updateOne(Filters.eq("_id", id), Updates.inc(UNSUBSCRIBED, 1));
    }

    private static long number(Document d, String field) {
        return d.get(field) instanceof Number n ? n.longValue() : 0;
    }

    @Override
    public void planned(String id, long eligible, int chunks) {
        campaigns.updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("eligible", eligible), Updates.set("chunks", chunks)));
    }

    static Document toDocument(Campaign c) {
        return new Document("_id", c.id())
                .append("subject", c.subject())
                .append("from", c.from())
                .append("replyTo", c.replyTo())
                .append("textTemplate", c.textTemplate())
                .append("htmlTemplate", c.htmlTemplate())
                .append("audience", c.audience().filterJson())
                .append("source", SubscriberMappings.toDocument(c.audience().source()))
                .append("chunkSize", c.chunkSize())
                .append("state", c.state().name())
                .append("stateReason", c.stateReason())
                .append("eligible", c.eligible())
                .append("chunks", c.chunks())
                .append("createdAt", date(c.createdAt()))
                .append("startedAt", date(c.startedAt()))
                .append("finishedAt", date(c.finishedAt()))
                .append("validation", c.validation() == null ? null
                        : new Document("confirmedFields", c.validation().confirmedFields())
                                .append("unverified", c.validation().unverified().name())
                                .append("waitUntil", date(c.validation().waitUntil())))
                .append("reminder", ReminderDocuments.reminder(c.reminder()));
    }

    static Campaign fromDocument(Document d) {
        return new Campaign(
                d.getString("_id"),
                d.getString("subject"),
                d.getString("from"),
                d.getString("replyTo"),
                d.getString("textTemplate"),
                d.getString("htmlTemplate"),
                new Audience(d.getString("audience"), SubscriberMappings.fromDocument(d.get("source", Document.class))),
                d.getInteger("chunkSize"),
                CampaignState.valueOf(d.getString("state")),
                d.getString("stateReason"),
                ((Number) d.get("eligible")).longValue(),
                ((Number) d.get("chunks")).intValue(),
                instant(d.getDate("createdAt")),
                instant(d.getDate("startedAt")),
                instant(d.getDate("finishedAt")),
                validation(d.get("validation", Document.class)),
                ReminderDocuments.reminder(d.get("reminder", Document.class)));
    }

    private static ValidationRequirement validation(Document v) {
        if (v == null) {
            return null;
        }
        // Campaigns stored before wait mode existed skip unverified recipients.
        var unverified = ValidationRequirement.Unverified.valueOf(v.get("unverified", "SKIP"));
        return new ValidationRequirement(v.getList("confirmedFields", String.class), unverified,
                instant(v.getDate("waitUntil")));
    }

    private static Date date(Instant i) {
        return i == null ? null : Date.from(i);
    }

    private static Instant instant(Date d) {
        return d == null ? null : d.toInstant();
    }
}
