package io.mailcast.store;

import io.mailcast.suppression.Suppression;
import io.mailcast.suppression.SuppressionReason;
import io.mailcast.testing.MongoFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MongoSuppressionListTest {

    @RegisterExtension
    static final MongoFixture mongo = new MongoFixture();

    private static final Instant AT = Instant.parse("2025-03-01T10:00:00Z");

    private MongoSuppressionList list;

    @BeforeEach
    void fresh() {
        mongo.dropAll();
        list = new MongoSuppressionList(mongo.connection());
    }

    private static Suppression entry(String address, SuppressionReason reason) {
        return new Suppression(address, reason, "spring-sale", AT, "evidence for " + address);
    }

    @Test
    void anAddressIsOnTheListOnceAndKeepsItsFirstEntry() {
        assertThat(list.addAll(List.of(entry("ann@example.com", SuppressionReason.UNSUBSCRIBED),
                entry("bob@example.com", SuppressionReason.HARD_BOUNCE)))).isEqualTo(2);

        assertThat(list.addAll(List.of(entry("ann@example.com", SuppressionReason.MANUAL),
                entry("cy@example.com", SuppressionReason.MANUAL)))).isEqualTo(1);

        assertThat(list.list(null, 10)).containsExactly(entry("ann@example.com", SuppressionReason.UNSUBSCRIBED),
                entry("bob@example.com", SuppressionReason.HARD_BOUNCE), entry("cy@example.com", SuppressionReason.MANUAL));
    }

    @Test
    void oneLookupAnswersWhichAddressesAreSuppressed() {
        list.addAll(List.of(entry("ann@example.com", SuppressionReason.UNSUBSCRIBED),
                entry("Bob@example.com", SuppressionReason.COMPLAINT)));

        assertThat(list.suppressedAmong(List.of("ann@example.com", "Bob@example.com", "bob@example.com", "zed@example.com")))
                .isEqualTo(Set.of("ann@example.com", "Bob@example.com"));
        assertThat(list.suppressedAmong(List.of())).isEmpty();
    }

    @Test
    void largeBatchesAreAddedInPartsAndCountedOnce() {
        List<Suppression> many = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            many.add(entry("reader" + i + "@example.org", SuppressionReason.MANUAL));
        }
        assertThat(list.addAll(many.subList(0, 1_200))).isEqualTo(1_200);
        assertThat(list.addAll(many)).isEqualTo(1_300);
        List<Suppression> all = new ArrayList<>();
        list.forEach(all::add);
        assertThat(all).hasSize(2_500);
    }

    @Test
    void listFiltersByReasonAndLimitsInAddressOrder() {
        list.addAll(List.of(entry("d@example.com", SuppressionReason.HARD_BOUNCE), entry("a@example.com", SuppressionReason.MANUAL),
                entry("c@example.com", SuppressionReason.HARD_BOUNCE), entry("b@example.com", SuppressionReason.HARD_BOUNCE)));

        assertThat(list.list(SuppressionReason.HARD_BOUNCE, 2)).extracting(Suppression::address)
                .containsExactly("b@example.com", "c@example.com");
        assertThat(list.list(SuppressionReason.COMPLAINT, 10)).isEmpty();
    }

    @Test
    void removeTakesAnAddressOff() {
        list.addAll(List.of(entry("ann@example.com", SuppressionReason.MANUAL)));

        assertThat(list.remove("ann@example.com")).isTrue();
        assertThat(list.remove("ann@example.com")).isFalse();
        assertThat(list.suppressedAmong(List.of("ann@example.com"))).isEmpty();
    }

    @Test
    void entriesHoldNormalisedAddressesOnly() {
        assertThatThrownBy(() -> entry("Ann@EXAMPLE.com", SuppressionReason.MANUAL)).hasMessageContaining("normalised");
        assertThatThrownBy(() -> entry(" ann@example.com", SuppressionReason.MANUAL)).hasMessageContaining("normalised");
    }
}
