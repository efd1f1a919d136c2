package io.mailcast.subscriber;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A subscriber's {@code _id}, of any type MongoDB orders and can range-query: numbers (int, long, double and decimal
 * compare by value, as one type), strings, binary data (UUIDs), ObjectIds, booleans and dates. Ids order as MongoDB
 * orders them: by {@link Kind} first, then by value, so a chunk planned from MongoDB's sort is a range here too.
 *
 * <p>{@link #key()} is a text form that is unique per id and parses back: numbers as plain decimals ({@code 42},
 * {@code 3.5}), every other kind with a prefix ({@code s:}, {@code bin:}, {@code oid:}, {@code bool:}, {@code date:}),
 * so the string {@code "42"} and the number 42 never share a key.
 */
public final class SubscriberId implements Comparable<SubscriberId>, Serializable {

    /** The kinds of id, in MongoDB's comparison order. */
    public enum Kind { NUMBER, STRING, BINARY, OBJECT_ID, BOOLEAN, DATE }

    private static final HexFormat HEX = HexFormat.of();
    private static final String NAN = "NaN";
    private static final String INFINITY = "Infinity";
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private final Kind kind;
    private final String key;
    /** NUMBER: the value, null when not finite. */
    private final BigDecimal number;
    /** NUMBER: MongoDB puts NaN below every number, then -Infinity, the finite ones, +Infinity. */
    private final int numberRank;
    /** BINARY: the bytes, for MongoDB's order (length, subtype, bytes). */
    private final byte[] bytes;
    private final int subtype;
    /** DATE: epoch millis. */
    private final long millis;

    private SubscriberId(Kind kind, String key, BigDecimal number, int numberRank, byte[] bytes, int subtype, long millis) {
        this.kind = kind;
        this.key = key;
        this.number = number;
        this.numberRank = numberRank;
        this.bytes = bytes;
        this.subtype = subtype;
        this.millis = millis;
    }

    public static SubscriberId of(long value) {
        return new SubscriberId(Kind.NUMBER, Long.toString(value), BigDecimal.valueOf(value), 2, null, 0, 0);
    }

    public static SubscriberId ofNumber(BigDecimal value) {
        BigDecimal canonical = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
        boolean fitsLong = canonical.scale() <= 0 && canonical.compareTo(LONG_MIN) >= 0 && canonical.compareTo(LONG_MAX) <= 0;
        String key = fitsLong ? Long.toString(canonical.longValueExact()) : canonical.toString();
        return new SubscriberId(Kind.NUMBER, key, canonical, 2, null, 0, 0);
    }

    public static SubscriberId ofDouble(double value) {
        if (Double.isNaN(value)) {
            return new SubscriberId(Kind.NUMBER, NAN, null, 0, null, 0, 0);
        }
        if (Double.isInfinite(value)) {
            return value < 0
                    ? new SubscriberId(Kind.NUMBER, "-" + INFINITY, null, 1, null, 0, 0)
                    : new SubscriberId(Kind.NUMBER, INFINITY, null, 3, null, 0, 0);
        }
        return ofNumber(new BigDecimal(value));
    }

    public static SubscriberId ofString(String value) {
        return new SubscriberId(Kind.STRING, "s:" + Objects.requireNonNull(value, "value"), null, 0, null, 0, 0);
    }

    public static SubscriberId ofBinary(int subtype, byte[] data) {
        if (subtype < 0 || subtype > 255) {
            throw new IllegalArgumentException("binary subtype must be 0..255, got " + subtype);
        }
        byte[] copy = data.clone();
        return new SubscriberId(Kind.BINARY, "bin:" + subtype + ":" + HEX.formatHex(copy), null, 0, copy, subtype, 0);
    }

    /** @param hex the ObjectId's 24 hexadecimal digits */
    public static SubscriberId ofObjectId(String hex) {
        String lower = hex.toLowerCase(Locale.ROOT);
        if (lower.length() != 24 || !lower.chars().allMatch(HexFormat::isHexDigit)) {
            throw new IllegalArgumentException("an ObjectId is 24 hexadecimal digits, got '" + hex + "'");
        }
        return new SubscriberId(Kind.OBJECT_ID, "oid:" + lower, null, 0, null, 0, 0);
    }

    public static SubscriberId ofBoolean(boolean value) {
        return new SubscriberId(Kind.BOOLEAN, "bool:" + value, null, 0, null, 0, 0);
    }

    public static SubscriberId ofDate(long epochMillis) {
        return new SubscriberId(Kind.DATE, "date:" + epochMillis, null, 0, null, 0, epochMillis);
    }

    /** The id whose {@link #key()} this is. */
    public static SubscriberId parse(String key) {
        Objects.requireNonNull(key, "key");
        int colon = key.indexOf(':');
        String prefix = colon < 0 ? "" : key.substring(0, colon);
        String rest = key.substring(colon + 1);
        try {
            return switch (prefix) {
                case "s" -> ofString(rest);
                case "oid" -> ofObjectId(rest);
                case "bool" -> ofBoolean(Boolean.parseBoolean(rest));
                case "date" -> ofDate(Long.parseLong(rest));
                case "bin" -> {
                    int sep = rest.indexOf(':');
                    yield ofBinary(Integer.parseInt(rest.substring(0, sep)), HEX.parseHex(rest.substring(sep + 1)));
                }
                case "" -> switch (key) {
                    case NAN -> ofDouble(Double.NaN);
                    case INFINITY -> ofDouble(Double.POSITIVE_INFINITY);
                    case "-" + INFINITY -> ofDouble(Double.NEGATIVE_INFINITY);
                    default -> ofNumber(new BigDecimal(key));
                };
                default -> throw new IllegalArgumentException("unknown id prefix");
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a subscriber id key: '" + key + "'", e);
        }
    }

    public Kind kind() {
        return kind;
    }

    /** Unique, parseable text form; see the class comment. */
    public String key() {
        return key;
    }

    /** The value as a person reads it, without the kind prefix: what templates see as {@code {{id}}}. */
    public String text() {
        return kind == Kind.NUMBER ? key : key.substring(key.indexOf(':') + 1);
    }

    /** NUMBER only: the finite value, or {@code null} for NaN and the infinities. */
    public BigDecimal number() {
        return number;
    }

    /** NUMBER only: the value as a double (NaN and the infinities included). */
    public double doubleValue() {
        return switch (numberRank) {
            case 0 -> Double.NaN;
            case 1 -> Double.NEGATIVE_INFINITY;
            case 3 -> Double.POSITIVE_INFINITY;
            default -> number.doubleValue();
        };
    }

    /** BINARY only: the subtype. */
    public int binarySubtype() {
        return subtype;
    }

    /** BINARY only: a copy of the data. */
    public byte[] binaryData() {
        return bytes.clone();
    }

    /** DATE only. */
    public long epochMillis() {
        return millis;
    }

    /** The larger of two ids, {@code null} standing for "none yet". */
    public static SubscriberId max(SubscriberId a, SubscriberId b) {
        if (a == null) {
            return b;
        }
        return b == null || a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public int compareTo(SubscriberId other) {
        int byKind = kind.compareTo(other.kind);
        if (byKind != 0) {
            return byKind;
        }
        return switch (kind) {
            case NUMBER -> numberRank != other.numberRank || number == null
                    ? Integer.compare(numberRank, other.numberRank)
                    : number.compareTo(other.number);
            // MongoDB compares strings byte by byte in UTF-8, which is code point order (not UTF-16 order).
            case STRING -> compareCodePoints(text(), other.text());
            case BINARY -> bytes.length != other.bytes.length ? Integer.compare(bytes.length, other.bytes.length)
                    : subtype != other.subtype ? Integer.compare(subtype, other.subtype)
                    : Arrays.compareUnsigned(bytes, other.bytes);
            case OBJECT_ID, BOOLEAN -> key.compareTo(other.key);
            case DATE -> Long.compare(millis, other.millis);
        };
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubscriberId other && key.equals(other.key);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    @Override
    public String toString() {
        return key;
    }

    /** Travels as its key (inside chunk transitions sent to the cluster), which re-validates on arrival. */
    @Serial
    private Object writeReplace() {
        return new Serialized(key);
    }

    @Serial
    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a SubscriberId is read through its serialized key");
    }

    private record Serialized(String key) implements Serializable {
        @Serial
        private Object readResolve() {
            return parse(key);
        }
    }
}
