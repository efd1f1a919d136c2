package io.mailcast.store;

/** Collection names, one place. */
public final class Collections {

    public static final String SUBSCRIBERS = "subscribers";
    public static final String CAMPAIGNS = "campaigns";
    public static final String CHUNKS = "chunks";
    public static final String DELIVERIES = "deliveries";
    public static final String SUPPRESSIONS = "suppressions";
    public static final String MESSAGES = "messages";
    public static final String IDEMPOTENCY_KEYS = "idempotency_keys";
    public static final String API_KEYS = "api_keys";
    public static final String ADDRESS_CLAIMS = "address_claims";
    public static final String ADDRESS_VERDICTS = "address_verdicts";
    public static final String VALIDATION_BUDGET = "validation_budget";
    public static final String VALIDATION_JOBS = "validation_jobs";
    public static final String VALIDATION_CHUNKS = "validation_chunks";
    public static final String SOFT_BOUNCES = "soft_bounces";
    public static final String SCHEDULES = "schedules";
    public static final String SCHEDULE_FIRINGS = "schedule_firings";
    public static final String REMINDER_CLAIMS = "reminder_claims";
    public static final String TEMPLATES = "templates";
    public static final String RELAY_QUOTAS = "relay_quotas";

    private Collections() {
    }
}
