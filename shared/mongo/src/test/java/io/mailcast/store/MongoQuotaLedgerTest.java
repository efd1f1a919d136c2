package io.mailcast.store;

import com.mongodb.client.MongoCollection;
import io.mailcast.quota.QuotaLedger;
import io.mailcast.quota.QuotaLedgerContract;
import io.mailcast.testing.MongoFixture;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The ledger contract on MongoDB's wire protocol (mongo-java-server through the real driver), and its documents. */
class MongoQuotaLedgerTest extends QuotaLedgerContract {

    @RegisterExtension
    static final MongoFixture mongo = new MongoFixture();

    @Override
    protected QuotaLedger newLedger() {
        mongo.dropAll();
        return new MongoQuotaLedger(mongo.connection());
    }

    @Test
    void oneDocumentPerRelayAndWindowThatExpiresTwoDaysAfterIt() {
        ledger().take("primary", HOUR, 120, 2);
        ledger().take("primary", DAY, 1_000, 4);
        Document hour = quotas().find(new Document("_id", "primary:2026-12-02T16")).first();
        assertThat(hour).isNotNull();
        assertThat(hour.getString("relay")).isEqualTo("primary");
        assertThat(hour.getString("kind")).isEqualTo("HOUR");
        assertThat(hour.getString("key")).isEqualTo("2026-12-02T16");
        assertThat(hour.getLong("used")).isEqualTo(2);
        assertThat(hour.getLong("cap")).isEqualTo(120);
        assertThat(hour.getDate("expireAt")).isEqualTo(Date.from(HOUR.endsAt().plus(MongoQuotaLedger.KEPT_AFTER_WINDOW)));
        assertThat(quotas().find(new Document("_id", "primary:2026-12-02")).first().getLong("used")).isEqualTo(4);
    }

    @Test
    void aTtlIndexDropsEndedWindows() {
        List<Document> indexes = quotas().listIndexes().into(new ArrayList<>());
        assertThat(indexes).anySatisfy(index -> {
            assertThat(index.get("key", Document.class)).isEqualTo(new Document("expireAt", 1));
            assertThat(((Number) index.get("expireAfterSeconds")).longValue()).isZero();
        });
    }

    @Test
    void whatIsCountedSurvivesANewConnection() {
        ledger().take("primary", HOUR, 10, 7);
        try (MongoConnection other = MongoConnection.open(mongo.uri(), Duration.ofSeconds(5))) {
            MongoQuotaLedger afterRestart = new MongoQuotaLedger(other);
            assertThat(afterRestart.used("primary", HOUR)).isEqualTo(7);
            assertThat(afterRestart.take("primary", HOUR, 10, 7)).isEqualTo(3);
        }
    }

    private static MongoCollection<Document> quotas() {
        return mongo.connection().database().getCollection(Collections.RELAY_QUOTAS);
    }
}
