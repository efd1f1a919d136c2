package io.mailcast.subscriber;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubscriberIdTest {

    /** MongoDB's order: numbers, strings, binary, ObjectIds, booleans, dates; within numbers NaN first. */
    @Test
    void ordersAsMongoDbDoes() {
        List<SubscriberId> ascending = List.of(
                SubscriberId.ofDouble(Double.NaN),
                SubscriberId.ofDouble(Double.NEGATIVE_INFINITY),
                SubscriberId.of(Long.MIN_VALUE),
                SubscriberId.ofDouble(-0.5),
                SubscriberId.of(0),
                SubscriberId.ofNumber(new BigDecimal("0.1")),
                SubscriberId.ofDouble(0.25),
                SubscriberId.of(3),
                SubscriberId.ofDouble(3.5),
                SubscriberId.of(Long.MAX_VALUE),
                SubscriberId.ofNumber(new BigDecimal("1E+30")),
                SubscriberId.ofDouble(Double.POSITIVE_INFINITY),
                SubscriberId.ofString(""),
                SubscriberId.ofString("10"),
                SubscriberId.ofString("9"),
                SubscriberId.ofString("a"),
                SubscriberId.ofString("\uFFFD"),
                SubscriberId.ofString("\uD83D\uDE00"),
                SubscriberId.ofBinary(4, new byte[]{(byte) 0xff}),
                SubscriberId.ofBinary(0, new byte[]{0, 0}),
                SubscriberId.ofBinary(4, new byte[]{0, 0}),
                SubscriberId.ofObjectId("000000000000000000000000"),
                SubscriberId.ofObjectId("65F000000000000000000001"),
                SubscriberId.ofBoolean(false),
                SubscriberId.ofBoolean(true),
                SubscriberId.ofDate(-1),
                SubscriberId.ofDate(1_700_000_000_000L));
        for (int i = 0; i < ascending.size(); i++) {
            for (int j = 0; j < ascending.size(); j++) {
                assertThat(Integer.signum(ascending.get(i).compareTo(ascending.get(j))))
                        .as("%s vs %s", ascending.get(i), ascending.get(j)).isEqualTo(Integer.compare(i, j));
            }
        }
    }

    @Test
    void keysAreUniquePerIdAndParseBack() {
        List<SubscriberId> ids = List.of(SubscriberId.of(42), SubscriberId.ofString("42"), SubscriberId.ofDouble(42.5),
                SubscriberId.ofNumber(new BigDecimal("1E+30")), SubscriberId.ofDouble(Double.NaN),
                SubscriberId.ofDouble(Double.NEGATIVE_INFINITY), SubscriberId.ofString("with: colon\r\n"),
                SubscriberId.ofBinary(3, new byte[]{1, 2}), SubscriberId.ofObjectId("65f000000000000000000001"),
                SubscriberId.ofBoolean(true), SubscriberId.ofDate(-5), SubscriberId.of(Long.MIN_VALUE));
        assertThat(ids.stream().map(SubscriberId::key).distinct()).hasSize(ids.size());
        for (SubscriberId id : ids) {
            assertThat(SubscriberId.parse(id.key())).isEqualTo(id);
            assertThat(SubscriberId.parse(id.key()).compareTo(id)).isZero();
        }
        assertThat(SubscriberId.of(42).key()).isEqualTo("42");
        assertThat(SubscriberId.ofString("42").key()).isEqualTo("s:42");
    }

    /** int 5, long 5, double 5.0 and decimal 5.00 are one _id to MongoDB: one key here. */
    @Test
    void equalNumbersOfDifferentTypesAreOneId() {
        assertThat(SubscriberId.ofDouble(5.0)).isEqualTo(SubscriberId.of(5));
        assertThat(SubscriberId.ofNumber(new BigDecimal("5.00"))).isEqualTo(SubscriberId.of(5));
        assertThat(SubscriberId.ofNumber(new BigDecimal("5.00")).key()).isEqualTo("5");
        assertThat(SubscriberId.ofDouble(-0.0)).isEqualTo(SubscriberId.of(0));
    }

    @Test
    void textIsTheValueWithoutItsKind() {
        assertThat(SubscriberId.ofObjectId("65F000000000000000000001").text()).isEqualTo("65f000000000000000000001");
        assertThat(SubscriberId.ofString("abc").text()).isEqualTo("abc");
        assertThat(SubscriberId.of(7).text()).isEqualTo("7");
    }

    @Test
    void malformedKeysAndObjectIdsAreRefused() {
        assertThatThrownBy(() -> SubscriberId.parse("x:1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubscriberId.parse("abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubscriberId.ofObjectId("123")).hasMessageContaining("24 hexadecimal");
    }

    @Test
    void rangesHoldOneKindAndRespectTheirBounds() {
        IdRange after = IdRange.after(SubscriberId.of(10), SubscriberId.of(20));

        assertThat(after.contains(SubscriberId.of(10))).isFalse();
        assertThat(after.contains(SubscriberId.ofDouble(10.5))).isTrue();
        assertThat(after.contains(SubscriberId.of(20))).isTrue();
        assertThat(after.contains(SubscriberId.ofString("15"))).isFalse();
        assertThatThrownBy(() -> IdRange.closed(SubscriberId.of(1), SubscriberId.ofString("a")))
                .hasMessageContaining("one kind");
        assertThatThrownBy(() -> IdRange.after(SubscriberId.of(1), SubscriberId.of(1))).hasMessageContaining("empty");
    }
}
