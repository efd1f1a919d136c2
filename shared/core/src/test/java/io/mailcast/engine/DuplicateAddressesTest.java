package io.mailcast.engine;

import io.mailcast.delivery.AddressClaims;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.subscriber.SubscriberId;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DuplicateAddressesTest {

    /** First claim wins, as the unique key of the real store decides. */
    private static final class FirstWins implements AddressClaims {
        final Map<String, SubscriberId> held = new HashMap<>();
        int calls;

        @Override
        public synchronized Map<String, SubscriberId> claim(String campaignId, Map<String, SubscriberId> wanted) {
            calls++;
            Map<String, SubscriberId> holders = new HashMap<>();
            wanted.forEach((address, id) -> holders.put(address, held.computeIfAbsent(address, a -> id)));
            return holders;
        }
    }

    private static Subscriber subscriber(long id, String email) {
        return new Subscriber(id, email, null, true, Map.of());
    }

    @Test
    void oneMailboxInOneChunkIsMailedOnceWithOneClaimCall() {
        FirstWins claims = new FirstWins();
        List<Subscriber> chunk = List.of(subscriber(1, "dup@example.com"), subscriber(2, "dup@EXAMPLE.com"),
                subscriber(3, "DUP@example.com"), subscriber(4, "other@example.com"));

        DuplicateAddresses.Split split = DuplicateAddresses.split("c", chunk, claims);

        assertThat(split.toSend()).extracting(s -> s.id().key()).containsExactly("1", "3", "4");
        assertThat(split.skipped()).singleElement().satisfies(skip -> {
            assertThat(skip.subscriber().id()).isEqualTo(SubscriberId.of(2));
            assertThat(skip.mailedAs()).isEqualTo(SubscriberId.of(1));
        });
        assertThat(claims.calls).isEqualTo(1);
    }

    @Test
    void anAddressHeldFromAnotherChunkIsSkippedAndARerunOfTheHolderSendsAgain() {
        FirstWins claims = new FirstWins();
        DuplicateAddresses.split("c", List.of(subscriber(10, "ann@example.com")), claims);

        DuplicateAddresses.Split later = DuplicateAddresses.split("c", List.of(subscriber(20, "ann@example.com")), claims);
        DuplicateAddresses.Split rerun = DuplicateAddresses.split("c", List.of(subscriber(10, "ann@example.com")), claims);

        assertThat(later.toSend()).isEmpty();
        assertThat(later.skipped()).extracting(DuplicateAddresses.Skip::mailedAs).containsExactly(SubscriberId.of(10));
        assertThat(rerun.toSend()).extracting(Subscriber::id).containsExactly(SubscriberId.of(10));
    }

    @Test
    void invalidAddressesAreLeftToValidationAndClaimNothing() {
        FirstWins claims = new FirstWins();

        DuplicateAddresses.Split split = DuplicateAddresses.split("c",
                List.of(subscriber(1, "not-an-address"), subscriber(2, "not-an-address"), subscriber(3, "")), claims);

        assertThat(split.toSend()).hasSize(3);
        assertThat(claims.held).isEmpty();
    }
}
