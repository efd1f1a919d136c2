package io.mailcast.sender.relay;

/** Messages sent in the current UTC hour and day, against limits that may change at any time. */
final class QuotaCounter {

    private static final long HOUR_MILLIS = 3_600_000L;
    private static final long DAY_MILLIS = 86_400_000L;

    private long perHour = LocalRateLimiter.NO_QUOTA;
    private long perDay = LocalRateLimiter.NO_QUOTA;
    private long hour = Long.MIN_VALUE;
    private long sentThisHour;
    private long day = Long.MIN_VALUE;
    private long sentToday;

    synchronized void setLimits(long newPerHour, long newPerDay) {
        perHour = newPerHour;
        perDay = newPerDay;
    }

    synchronized boolean hasRoom(long nowMillis) {
        long currentHour = Math.floorDiv(nowMillis, HOUR_MILLIS);
        if (currentHour != hour) {
            hour = currentHour;
            sentThisHour = 0;
        }
        long currentDay = Math.floorDiv(nowMillis, DAY_MILLIS);
        if (currentDay != day) {
            day = currentDay;
            sentToday = 0;
        }
        return sentThisHour < perHour && sentToday < perDay;
    }

    /** Counts one message if there is room; false (and nothing counted) otherwise. */
    synchronized boolean take(long nowMillis) {
        if (!hasRoom(nowMillis)) {
            return false;
        }
        sentThisHour++;
        sentToday++;
        return true;
    }
}
