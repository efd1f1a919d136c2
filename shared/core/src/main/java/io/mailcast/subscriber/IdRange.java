package io.mailcast.subscriber;

import java.util.Objects;

/**
 * A span of subscriber ids of one {@link SubscriberId.Kind}, up to and including {@code through}. It starts at
 * {@code from}, inclusive or not: consecutive chunks of one kind share a bound, the later one starting just after the
 * earlier one's end, so an id added between them at any time still falls into exactly one chunk.
 */
public record IdRange(SubscriberId from, boolean fromIncluded, SubscriberId through) {

    public IdRange {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(through, "through");
        if (from.kind() != through.kind()) {
            throw new IllegalArgumentException("an id range holds one kind of id, got " + from + ".." + through);
        }
        int order = from.compareTo(through);
        if (order > 0 || order == 0 && !fromIncluded) {
            throw new IllegalArgumentException("id range is empty: " + this);
        }
    }

    /** {@code [from, through]} */
    public static IdRange closed(SubscriberId from, SubscriberId through) {
        return new IdRange(from, true, through);
    }

    /** {@code (after, through]} */
    public static IdRange after(SubscriberId after, SubscriberId through) {
        return new IdRange(after, false, through);
    }

    /** The range of one id. */
    public static IdRange of(SubscriberId id) {
        return closed(id, id);
    }

    public boolean contains(SubscriberId id) {
        int fromOrder = id.compareTo(from);
        return (fromIncluded ? fromOrder >= 0 : fromOrder > 0) && id.compareTo(through) <= 0;
    }

    @Override
    public String toString() {
        return (fromIncluded ? "[" : "(") + from + ".." + through + "]";
    }
}
