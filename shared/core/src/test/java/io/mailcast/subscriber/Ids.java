package io.mailcast.subscriber;

import java.util.Arrays;
import java.util.List;

/** Numeric ids and ranges in one call, for tests. */
public final class Ids {

    private Ids() {
    }

    public static SubscriberId id(long value) {
        return SubscriberId.of(value);
    }

    public static List<SubscriberId> ids(long... values) {
        return Arrays.stream(values).mapToObj(SubscriberId::of).toList();
    }

    /** {@code [first, last]} */
    public static IdRange closed(long first, long last) {
        return IdRange.closed(id(first), id(last));
    }

    /** {@code (after, last]} */
    public static IdRange after(long after, long last) {
        return IdRange.after(id(after), id(last));
    }
}
