package io.mailcast.validation;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/** Read side of the verdict cache, as a chunk needs it: one query for all its addresses. */
@FunctionalInterface
public interface VerdictLookup {

    /** Nothing is cached: every recipient that needs a check lacks one. */
    VerdictLookup NONE = (addresses, now) -> Map.of();

    /** The unexpired verdicts among these normalised addresses; addresses without one are absent. */
    Map<String, CachedVerdict> fresh(Set<String> addresses, Instant now);
}
