package io.mailcast.engine;

import io.mailcast.campaign.CampaignState;
import io.mailcast.chunk.LocalChunkBoard;
import io.mailcast.lab.fixtures.MongoSubscriberWriter;
import io.mailcast.render.TemplateException;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoSubscriberSource;
import io.mailcast.subscriber.Audience;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.testing.MongoFixture;
import io.mailcast.testing.SettableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static io.mailcast.testing.Campaigns.aCampaign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine refuses what submit refuses, whoever calls it; what fails only once stored ends FAILED, never stuck. */
class SubmitInputTest {

    @RegisterExtension
    static final MongoFixture mongo = new MongoFixture();

    private MongoCampaignStore campaigns;
    private CampaignSubmitter submitter;

    @BeforeEach
    void fresh() {
        mongo.dropAll();
        campaigns = new MongoCampaignStore(mongo.connection());
        submitter = new CampaignSubmitter(campaigns, new MongoChunkStore(mongo.connection()), new LocalChunkBoard(),
                new MongoSubscriberSource(mongo.connection()), new SettableClock());
    }

    @Test
    void badSendersSubjectsAndTemplatesAreRefusedBeforeAnythingIsStored() {
        assertThatThrownBy(() -> submitter.submit(aCampaign().from("not-an-address").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("From is not a valid mailbox (missing @)");
        assertThatThrownBy(() -> submitter.submit(aCampaign().replyTo("Help <help@example.com>\r\nBcc: x@example.com").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Reply-To is not a valid mailbox");
        assertThatThrownBy(() -> submitter.submit(aCampaign().subject("Hi\r\nBcc: x@example.com").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subject contains a line break");
        assertThatThrownBy(() -> submitter.submit(aCampaign().textTemplate("Hello {{#broken").build()))
                .isInstanceOf(TemplateException.class).hasMessageContaining("line 1, column 7");

        assertThat(campaigns.all()).isEmpty();
    }

    @Test
    void anAudienceThatIsNotJsonOrThatMongoDbRefusesMarksTheStoredCampaignFailedWithTheReason() {
        // The embedded server only evaluates a filter against a document; MongoDB refuses it before looking at any.
        new MongoSubscriberWriter(mongo.connection().database())
                .insert(List.of(new Subscriber(1, "a@example.com", "A", true, Map.of())));
        assertThatThrownBy(() -> submitter.submit(aCampaign().id("not-json").audience(new Audience("{\"subscribed\": tru}")).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not valid JSON");
        assertThatThrownBy(() -> submitter.submit(aCampaign().id("refused")
                .audience(new Audience("{\"subscribed\": {\"$bogus\": 1}}")).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MongoDB refuses the audience filter");

        for (String id : new String[] {"not-json", "refused"}) {
            var campaign = campaigns.find(id).orElseThrow();
            assertThat(campaign.state()).as(id).isEqualTo(CampaignState.FAILED);
            assertThat(campaign.stateReason()).as(id).startsWith("planning failed: ");
        }
    }
}
