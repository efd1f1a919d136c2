package io.mailcast.lab;

import io.mailcast.lab.fixtures.Karma8Generator;
import io.mailcast.subscriber.Subscriber;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Which reminders seed 004 owes, worked out from the generated users alone (not from MongoDB, the schedule or the
 * engine): a user whose address is confirmed or checked valid and whose subscription ends on day {@code d + k} is due
 * a "k days left" reminder on day {@code d}, for k in {@link #OFFSETS}. Days are UTC calendar days from the first slot.
 */
final class DueReminders {

    static final List<Integer> OFFSETS = List.of(3, 1);
    private static final long DAY = Duration.ofDays(1).toSeconds();

    private DueReminders() {
    }

    /** Per due reminder: its day (0-based, before {@code days}) to the subject the user must get. */
    interface Visitor {
        void due(long userId, int day, int daysLeft);
    }

    static void forEach(Karma8Generator users, long count, Instant firstSlot, int days, Visitor visitor) {
        long first = firstSlot.getEpochSecond();
        for (long id = 1; id <= count; id++) {
            Subscriber s = users.subscriber(id);
            Map<String, Object> a = s.attributes();
            long validts = ((Number) a.get("validts")).longValue();
            if (validts == 0 || !(Boolean.TRUE.equals(a.get("confirmed")) || Boolean.TRUE.equals(a.get("valid")))
                    || validts < first) {
                continue;
            }
            long expiryDay = Math.floorDiv(validts - first, DAY);
            for (int k : OFFSETS) {
                long day = expiryDay - k;
                if (day >= 0 && day < days) {
                    visitor.due(id, (int) day, k);
                }
            }
        }
    }

    /** The schedule's subject; {@link #subject} is what it renders to. */
    static final String SUBJECT_TEMPLATE = "{{daysLeft}} days left on your subscription";

    static String subject(int daysLeft) {
        return SUBJECT_TEMPLATE.replace("{{daysLeft}}", Integer.toString(daysLeft));
    }
}
