package io.mailcast.store;

/** Collection names, one place. */
public final class Collections {

    public static final String SUBSCRIBERS = "subscribers";
    public static final String CAMPAIGNS = "campaigns";
    public static final String CHUNKS = "chunks";
    public static final String DELIVERIES = "deliveries";
    public static final String SUPPRESSIONS = "suppressions";

    private Collections() {
    }
}
