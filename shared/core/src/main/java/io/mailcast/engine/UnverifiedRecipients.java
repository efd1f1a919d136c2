package io.mailcast.engine;

import io.mailcast.sender.AddressValidator;
import io.mailcast.subscriber.AddressNormalizer;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.validation.CachedVerdict;
import io.mailcast.validation.ValidationRequirement;
import io.mailcast.validation.Verdict;
import io.mailcast.validation.VerdictLookup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Splits a chunk's recipients by a campaign's "confirmed or checked-valid" rule: one verdict lookup for the chunk.
 * Malformed addresses pass, to be recorded INVALID by the send path as in any campaign.
 */
final class UnverifiedRecipients {

    /** A recipient not to mail, and why. */
    record Refused(Subscriber subscriber, String reason) {
    }

    /** @param waiting recipients without a verdict whose campaign waits for one: not recorded yet */
    record Split(List<Subscriber> toSend, List<Refused> refused, List<Subscriber> waiting) {
    }

    private UnverifiedRecipients() {
    }

    /** @param rule the campaign's rule, or {@code null} when it has none (everyone passes, nothing is looked up) */
    static Split split(ValidationRequirement rule, List<Subscriber> recipients, VerdictLookup verdicts, Instant now) {
        if (rule == null) {
            return new Split(recipients, List.of(), List.of());
        }
        Set<String> unconfirmed = new HashSet<>();
        for (Subscriber s : recipients) {
            if (needsVerdict(rule, s)) {
                unconfirmed.add(AddressNormalizer.normalize(s.email()));
            }
        }
        Map<String, CachedVerdict> known = unconfirmed.isEmpty() ? Map.of() : verdicts.fresh(unconfirmed, now);
        List<Subscriber> toSend = new ArrayList<>(recipients.size());
        List<Refused> refused = new ArrayList<>();
        List<Subscriber> waiting = new ArrayList<>();
        boolean waits = rule.waits(now);
        for (Subscriber s : recipients) {
            if (!needsVerdict(rule, s)) {
                toSend.add(s);
                continue;
            }
            CachedVerdict v = known.get(AddressNormalizer.normalize(s.email()));
            if (v != null && v.verdict() == Verdict.VALID) {
                toSend.add(s);
            } else if (v == null && waits) {
                waiting.add(s);
            } else {
                refused.add(new Refused(s, v != null
                        ? "unconfirmed and validated " + v.verdict() + " by " + v.validator() + " at " + v.checkedAt()
                        : rule.waitUntil() != null ? "unconfirmed and no verdict by the deadline " + rule.waitUntil()
                        : "unconfirmed and not validated: no fresh verdict cached"));
            }
        }
        return new Split(toSend, refused, waiting);
    }

    private static boolean needsVerdict(ValidationRequirement rule, Subscriber s) {
        return !rule.confirmed(s) && AddressValidator.problem(s.email()).isEmpty();
    }
}
