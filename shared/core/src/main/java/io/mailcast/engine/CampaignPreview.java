package io.mailcast.engine;

import io.mailcast.campaign.Campaign;
import io.mailcast.chunk.ChunkPlanner;
import io.mailcast.chunk.ChunkRange;
import io.mailcast.render.MessageTemplate;
import io.mailcast.sender.AddressValidator;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.subscriber.AddressNormalizer;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.subscriber.SubscriberSource;
import io.mailcast.suppression.SuppressionList;
import io.mailcast.suppression.UnsubscribeLink;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a submit would do, worked out by reading only: the audience count, the chunk plan, and the messages the first
 * recipients would get. Nothing is stored and nothing is sent ({@code submit --dry-run}, {@code submit --test-to}).
 */
public final class CampaignPreview {

    /** Stands where the sending node puts each recipient's signed one-click link. */
    public static final UnsubscribeLink SAMPLE_LINK =
            new UnsubscribeLink("https://public-url.invalid/unsubscribe?t=SIGNED-BY-THE-NODE", Map.of());

    private final Campaign draft;
    private final SubscriberSource subscribers;
    private final MessageTemplate template;

    /** @param draft a campaign that passed {@link CampaignSubmitter#check} */
    public CampaignPreview(Campaign draft, SubscriberSource subscribers) {
        this.draft = draft;
        this.subscribers = subscribers;
        this.template = MessageTemplate.of(draft);
    }

    /** The chunks a submit would plan now; streams the ids like a submit. */
    public Plan plan() {
        ChunkPlanner planner = new ChunkPlanner(draft.id(), draft.chunkSize());
        subscribers.eligibleIds(draft.audience(), planner);
        return new Plan(planner.eligible(), planner.finish());
    }

    /** Up to {@code limit} eligible subscribers, in id order. */
    public List<Subscriber> firstRecipients(int limit) {
        return subscribers.firstEligible(draft.audience(), limit);
    }

    /** The message {@code subscriber} would get, with a stand-in unsubscribe link. */
    public OutgoingMessage render(Subscriber subscriber) {
        return template.render(subscriber, SAMPLE_LINK);
    }

    /**
     * Why the node would not send to this recipient (invalid address, suppressed), or empty when it would.
     *
     * @param suppressed normalised addresses among the samples that are on the {@link SuppressionList}
     */
    public static Optional<String> notSentBecause(Subscriber subscriber, Set<String> suppressed) {
        Optional<String> problem = AddressValidator.problem(subscriber.email());
        if (problem.isPresent()) {
            return Optional.of("INVALID (" + problem.get() + ")");
        }
        if (suppressed.contains(AddressNormalizer.normalize(subscriber.email()))) {
            return Optional.of("SUPPRESSED (on the suppression list)");
        }
        return Optional.empty();
    }

    /** A chunk plan: how many are eligible now and how they would be cut. */
    public record Plan(long eligible, List<ChunkRange> chunks) {
    }
}
