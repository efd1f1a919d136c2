package io.mailcast.subscriber;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic, realistic-looking subscribers: the same id always yields the same person, so re-running a
 * population is idempotent. A configurable share carries malformed addresses, to exercise validation.
 */
public final class SubscriberGenerator {

    private static final List<String> FIRST = List.of("Anna", "Ben", "Chloé", "David", "Elif", "Farid", "Greta",
            "Hiro", "Ines", "Jonas", "Katarzyna", "Liam", "Maya", "Noah", "Olga", "Pedro", "Quinn", "Rosa", "Sven",
            "Tomás", "Uma", "Viktor", "Wen", "Xenia", "Yusuf", "Zoë");
    private static final List<String> LAST = List.of("Schmidt", "Müller", "Rossi", "García", "Nowak", "Smith",
            "Yilmaz", "Dubois", "Jensen", "Kowalski", "Silva", "Tanaka", "Novak", "Larsen", "Costa", "Weber");
    private static final List<String> DOMAINS = List.of("example.com", "example.org", "example.net", "mail.example");
    private static final List<String> CITIES = List.of("Berlin", "Lisbon", "Kraków", "Osaka", "Lyon", "Austin",
            "Nairobi", "Toronto", "Århus", "São Paulo");
    private static final List<String> PLANS = List.of("free", "free", "free", "pro", "team");
    private static final List<String> MALFORMED = List.of("%s.at.%s", "%s@", "@%s", "%s @%s", "%s@@%s", "%s@%s.");

    private final double subscribedRatio;
    private final double invalidRatio;

    public SubscriberGenerator(double subscribedRatio, double invalidRatio) {
        if (subscribedRatio < 0 || subscribedRatio > 1) {
            throw new IllegalArgumentException("--subscribed-ratio must be between 0 and 1, got " + subscribedRatio);
        }
        if (invalidRatio < 0 || invalidRatio > 1) {
            throw new IllegalArgumentException("--invalid-ratio must be between 0 and 1, got " + invalidRatio);
        }
        this.subscribedRatio = subscribedRatio;
        this.invalidRatio = invalidRatio;
    }

    public Subscriber subscriber(long id) {
        SplittableRandom random = new SplittableRandom(id * 0x9E3779B97F4A7C15L);
        String first = pick(FIRST, random);
        String last = pick(LAST, random);
        String local = ascii(first + "." + last).toLowerCase() + id;
        String domain = pick(DOMAINS, random);
        String email = random.nextDouble() < invalidRatio
                ? String.format(pick(MALFORMED, random), local, domain)
                : local + "@" + domain;
        boolean subscribed = isSubscribed(id);
        Map<String, Object> attributes = Map.of(
                "city", pick(CITIES, random),
                "plan", pick(PLANS, random),
                "signupYear", 2015 + random.nextInt(11));
        return new Subscriber(id, email, first + " " + last, subscribed, attributes);
    }

    /** Evenly spread, so ids 1..N hold exactly floor(N * ratio) subscribers: sizes in benchmarks are exact. */
    private boolean isSubscribed(long id) {
        return (long) Math.floor(id * subscribedRatio) > (long) Math.floor((id - 1) * subscribedRatio);
    }

    /** Users to generate so that exactly {@code subscribers} of them are subscribed. */
    public static long usersFor(long subscribers, double subscribedRatio) {
        long users = (long) Math.ceil(subscribers / subscribedRatio);
        while ((long) Math.floor(users * subscribedRatio) < subscribers) {
            users++;
        }
        while (users > 0 && (long) Math.floor((users - 1) * subscribedRatio) >= subscribers) {
            users--;
        }
        return users;
    }

    private static String pick(List<String> values, SplittableRandom random) {
        return values.get(random.nextInt(values.size()));
    }

    private static String ascii(String s) {
        return java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD).replaceAll("[^\\p{ASCII}]", "");
    }
}
