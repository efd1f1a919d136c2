package io.mailcast.reminder;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Reminder claims in memory: correct within one process, for tests and the one-process baseline. */
public final class LocalReminderClaims implements ReminderClaims {

    private final Map<String, String> holders = new ConcurrentHashMap<>();

    @Override
    public Map<String, String> claim(String campaignId, Collection<String> keys) {
        Map<String, String> result = new HashMap<>();
        for (String key : keys) {
            result.put(key, holders.computeIfAbsent(key, k -> campaignId));
        }
        return result;
    }
}
