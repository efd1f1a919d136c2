package io.mailcast.store;

import com.mongodb.client.MongoCollection;
import io.mailcast.campaign.Campaign;
import io.mailcast.render.MessageTemplate;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.subscriber.Audience;
import io.mailcast.subscriber.IdRange;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.subscriber.SubscriberMapping;
import io.mailcast.suppression.UnsubscribeLink;
import io.mailcast.testing.Campaigns;
import io.mailcast.testing.MongoFixture;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A subscriber collection as an application writes it: its own database, collection and field names. */
class SubscriberMappingTest {

    @RegisterExtension
    static final MongoFixture mongo = new MongoFixture();

    private static final SubscriberMapping PEOPLE =
            new SubscriberMapping("app", "people", "contact.email", "fullName", List.of());

    private final MongoSubscriberSource source = new MongoSubscriberSource(mongo.connection());
    private MongoCollection<Document> people;

    @BeforeEach
    void fresh() {
        mongo.dropAll();
        people = mongo.connection().database("app").getCollection("people");
        people.drop();
        for (int i = 1; i <= 5; i++) {
            people.insertOne(new Document("_id", new ObjectId(String.format("66aa00000000000000000%03d", i)))
                    .append("contact", new Document("email", " person" + i + "@example.com "))
                    .append("fullName", "Person " + i).append("plan", i % 2 == 0 ? "pro" : "free")
                    .append("address", new Document("city", "City " + i)).append("optIn", i != 3));
        }
    }

    private static Audience optedIn(SubscriberMapping mapping) {
        return new Audience("{\"optIn\": true}", mapping);
    }

    @Test
    void planningAndLoadingReadTheNamedCollectionAndFields() {
        List<SubscriberId> ids = new ArrayList<>();
        source.eligibleIds(optedIn(PEOPLE), ids::add);
        assertThat(ids).hasSize(4);

        List<Subscriber> loaded = source.eligibleInRange(optedIn(PEOPLE), IdRange.closed(ids.getFirst(), ids.getLast()), 4);

        assertThat(loaded).extracting(Subscriber::email).containsExactly("person1@example.com", "person2@example.com",
                "person4@example.com", "person5@example.com");
        assertThat(loaded).extracting(Subscriber::name).containsExactly("Person 1", "Person 2", "Person 4", "Person 5");
        assertThat(mongo.connection().database().getCollection(Collections.SUBSCRIBERS).countDocuments()).isZero();
    }

    @Test
    void templatesSeeTheWholeDocumentByDefaultNestedFieldsIncluded() {
        Subscriber second = source.firstEligible(optedIn(PEOPLE), 2).get(1);
        Campaign campaign = Campaigns.aCampaign().audience(optedIn(PEOPLE))
                .textTemplate("{{name}} on {{plan}} in {{address.city}} <{{email}}> [{{_id}}]").build();

        OutgoingMessage message = MessageTemplate.of(campaign).render(second, UnsubscribeLink.NONE);

        assertThat(message.text()).isEqualTo("Person 2 on pro in City 2 <person2@example.com> []");
        assertThat(message.to()).isEqualTo("person2@example.com");
    }

    @Test
    void namedFieldsAreAllTemplatesSee() {
        SubscriberMapping onlyPlan = new SubscriberMapping("app", "people", "contact.email", "fullName", List.of("plan"));
        Subscriber first = source.firstEligible(optedIn(onlyPlan), 1).getFirst();
        Campaign campaign = Campaigns.aCampaign().audience(optedIn(onlyPlan))
                .textTemplate("{{name}}|{{plan}}|{{address.city}}|{{optIn}}").build();

        assertThat(MessageTemplate.of(campaign).render(first, UnsubscribeLink.NONE).text()).isEqualTo("Person 1|free||");
    }

    @Test
    void aMissingOrNonTextAddressFieldIsAnEmptyAddressNeverAnError() {
        people.insertOne(new Document("_id", new ObjectId("66aa00000000000000000100")).append("contact", "not a document")
                .append("optIn", true));
        people.insertOne(new Document("_id", new ObjectId("66aa00000000000000000101"))
                .append("contact", new Document("email", 42)).append("optIn", true));

        List<Subscriber> all = source.firstEligible(optedIn(PEOPLE), 10);

        assertThat(all).hasSize(6);
        assertThat(all.subList(4, 6)).extracting(Subscriber::email).containsOnly("");
    }

    /** {@code submit --dry-run --preview 0} asked for none and got the whole audience: MongoDB's limit(0) is no limit. */
    @Test
    void firstEligibleOfNoneIsNone() {
        assertThat(source.firstEligible(optedIn(PEOPLE), 1)).hasSize(1);
        assertThat(source.firstEligible(optedIn(PEOPLE), 0)).isEmpty();
    }

    @Test
    void theMappingIsStoredWithTheCampaignAndOldCampaignsReadTheDefault() {
        var store = new MongoCampaignStore(mongo.connection());
        Campaign campaign = Campaigns.aCampaign().id("mapped").audience(optedIn(PEOPLE)).build();
        store.insertIfAbsent(campaign);

        assertThat(store.find("mapped").orElseThrow().audience()).isEqualTo(optedIn(PEOPLE));

        mongo.connection().database().getCollection(Collections.CAMPAIGNS)
                .updateOne(new Document("_id", "mapped"), new Document("$unset", new Document("source", "")));
        assertThat(store.find("mapped").orElseThrow().audience().source()).isEqualTo(SubscriberMapping.DEFAULT);
    }
}
