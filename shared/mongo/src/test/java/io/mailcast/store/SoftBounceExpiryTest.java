package io.mailcast.store;

import io.mailcast.bounce.SoftBouncePolicy;
import io.mailcast.testing.MongoFixture;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Soft bounces expire (a TTL index on their time) no sooner than the longest window the policy allows. */
class SoftBounceExpiryTest {

    @RegisterExtension
    static final MongoFixture mongo = new MongoFixture();

    @Test
    void softBouncesCarryATtlIndexAsLongAsTheLongestWindow() {
        mongo.dropAll();
        List<Document> indexes = mongo.connection().database().getCollection(Collections.SOFT_BOUNCES).listIndexes()
                .into(new ArrayList<>());

        Document expire = indexes.stream().filter(i -> "expire".equals(i.getString("name"))).findFirst().orElseThrow();
        assertThat(expire.get("key", Document.class)).isEqualTo(new Document("at", 1));
        assertThat(((Number) expire.get("expireAfterSeconds")).longValue())
                .isEqualTo(SoftBouncePolicy.LONGEST_WINDOW.toSeconds());
    }
}
