package io.mailcast.store;

import io.mailcast.subscriber.SubscriberId;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDouble;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Date;
import java.util.UUID;

/** Subscriber ids between their BSON form (as the driver decodes a document) and {@link SubscriberId}. */
public final class BsonIds {

    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private BsonIds() {
    }

    /**
     * @throws IllegalArgumentException for ids MongoDB can hold but Mailcast cannot plan over (documents, null,
     *                                  timestamps, regular expressions, min/max keys, code)
     */
    public static SubscriberId fromBson(Object value) {
        return switch (value) {
            case Integer i -> SubscriberId.of(i);
            case Long l -> SubscriberId.of(l);
            case Double d -> SubscriberId.ofDouble(d);
            case Decimal128 d -> d.isNaN() ? SubscriberId.ofDouble(Double.NaN)
                    : d.isInfinite() ? SubscriberId.ofDouble(d.isNegative() ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
                    : SubscriberId.ofNumber(d.bigDecimalValue());
            case String s -> SubscriberId.ofString(s);
            case ObjectId o -> SubscriberId.ofObjectId(o.toHexString());
            case Date d -> SubscriberId.ofDate(d.getTime());
            case Boolean b -> SubscriberId.ofBoolean(b);
            case Binary b -> SubscriberId.ofBinary(b.getType() & 0xff, b.getData());
            case UUID u -> SubscriberId.ofBinary(4, uuidBytes(u));
            case null -> throw unsupported("null");
            default -> throw unsupported(value.getClass().getSimpleName() + " " + value);
        };
    }

    private static IllegalArgumentException unsupported(String what) {
        return new IllegalArgumentException("a subscriber has _id " + what + "; Mailcast plans chunks over ids that are"
                + " ObjectIds, numbers, strings, dates, booleans or binary (UUID): give that subscriber such an _id or"
                + " leave it out of the audience");
    }

    /** The id as MongoDB stores it; numbers take the narrowest type that holds the value exactly. */
    public static BsonValue toBson(SubscriberId id) {
        return switch (id.kind()) {
            case NUMBER -> number(id);
            case STRING -> new BsonString(id.text());
            case BINARY -> new BsonBinary((byte) id.binarySubtype(), id.binaryData());
            case OBJECT_ID -> new BsonObjectId(new ObjectId(id.text()));
            case BOOLEAN -> BsonBoolean.valueOf(Boolean.parseBoolean(id.text()));
            case DATE -> new BsonDateTime(id.epochMillis());
        };
    }

    private static BsonValue number(SubscriberId id) {
        BigDecimal n = id.number();
        if (n == null) {
            return new BsonDouble(id.doubleValue());
        }
        if (n.scale() <= 0 && n.compareTo(LONG_MIN) >= 0 && n.compareTo(LONG_MAX) <= 0) {
            return new BsonInt64(n.longValueExact());
        }
        double d = n.doubleValue();
        if (!Double.isInfinite(d) && new BigDecimal(d).compareTo(n) == 0) {
            return new BsonDouble(d);
        }
        return new BsonDecimal128(new Decimal128(n));
    }

    /** A stored id, or {@code null} for an absent one. */
    static SubscriberId fromStored(Object value) {
        return value == null ? null : fromBson(value);
    }

    /** An id to store, {@code null} staying {@code null}. */
    static BsonValue toStored(SubscriberId id) {
        return id == null ? null : toBson(id);
    }

    private static byte[] uuidBytes(UUID u) {
        // A UUID is decoded only with the STANDARD representation (subtype 4): its 16 bytes in big-endian order.
        return ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array();
    }
}
