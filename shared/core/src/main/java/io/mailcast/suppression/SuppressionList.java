package io.mailcast.suppression;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** The addresses nobody sends to any more, shared by the whole cluster; keyed by normalised address. */
public interface SuppressionList {

    /**
     * Adds the entries whose address is not on the list yet; an address already there keeps its first entry (the
     * earliest reason and time are the useful ones). Throws on store failure.
     *
     * @return how many were new
     */
    int addAll(Collection<Suppression> entries);

    /** Takes the address off the list; false when it was not on it. */
    boolean remove(String normalisedAddress);

    /** Which of these normalised addresses are on the list, in one lookup (a chunk asks once for all its recipients). */
    Set<String> suppressedAmong(Collection<String> normalisedAddresses);

    /** Why each of these normalised addresses is on the list, for those that are, in one lookup. */
    Map<String, SuppressionReason> reasonsAmong(Collection<String> normalisedAddresses);

    /** Up to {@code limit} entries in address order, only those with {@code reason} unless it is {@code null}. */
    List<Suppression> list(SuppressionReason reason, int limit);

    /** Every entry in address order, streamed (for an export of any size). */
    void forEach(Consumer<Suppression> action);
}
