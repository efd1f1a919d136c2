package io.mailcast.lab;

import io.mailcast.store.BsonIds;
import io.mailcast.subscriber.IdRange;
import io.mailcast.subscriber.SubscriberId;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Every id a range could hold, listed, for the kinds where that is possible: integers and ObjectIds. */
final class IdSpan {

    private IdSpan() {
    }

    /** The ids in the range as BSON values, or {@code null} when they cannot be listed or are more than {@code max}. */
    static List<org.bson.BsonValue> enumerate(IdRange range, int max) {
        BigInteger from = integer(range.from());
        BigInteger through = integer(range.through());
        if (from == null || through == null) {
            return null;
        }
        if (!range.fromIncluded()) {
            from = from.add(BigInteger.ONE);
        }
        BigInteger count = through.subtract(from).add(BigInteger.ONE);
        if (count.signum() <= 0 || count.compareTo(BigInteger.valueOf(max)) > 0) {
            return null;
        }
        List<org.bson.BsonValue> ids = new ArrayList<>(count.intValueExact());
        for (BigInteger n = from; n.compareTo(through) <= 0; n = n.add(BigInteger.ONE)) {
            ids.add(BsonIds.toBson(range.from().kind() == SubscriberId.Kind.NUMBER
                    ? SubscriberId.ofNumber(new BigDecimal(n))
                    : SubscriberId.ofObjectId(String.format("%024x", n))));
        }
        return ids;
    }

    private static BigInteger integer(SubscriberId id) {
        return switch (id.kind()) {
            case NUMBER -> id.number() != null && id.number().stripTrailingZeros().scale() <= 0
                    ? id.number().toBigIntegerExact() : null;
            case OBJECT_ID -> new BigInteger(id.text(), 16);
            default -> null;
        };
    }
}
