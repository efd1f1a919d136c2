package io.mailcast.reminder;

import java.util.Collection;
import java.util.Map;

/**
 * Which campaign sends each reminder (see {@link Reminder#key}): the first to claim it. Reminders fired by different
 * slots, nodes or cron expressions for the same date and offset give one message.
 */
public interface ReminderClaims {

    /**
     * Claims each key for the campaign, keeping earlier claims. Idempotent: a campaign that claimed a key before (a
     * chunk re-run after a crash) holds it again.
     *
     * @return every key to the campaign that holds it
     */
    Map<String, String> claim(String campaignId, Collection<String> keys);
}
