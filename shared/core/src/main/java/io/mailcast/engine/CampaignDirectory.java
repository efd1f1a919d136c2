package io.mailcast.engine;

import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.campaign.CampaignStore;
import io.mailcast.render.MessageTemplate;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A node's read-through cache of campaigns and their compiled templates. State is re-read at most every
 * {@code freshness}, which bounds how fast a pause or cancel reaches a sending node.
 */
public final class CampaignDirectory {

    private record Entry(Campaign campaign, MessageTemplate template, long readAt) {
    }

    private final CampaignStore store;
    private final Clock clock;
    private final long freshnessMillis;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    public CampaignDirectory(CampaignStore store, Clock clock, Duration freshness) {
        this.store = store;
        this.clock = clock;
        this.freshnessMillis = freshness.toMillis();
    }

    public Optional<Campaign> campaign(String id) {
        return entry(id).map(Entry::campaign);
    }

    public Optional<MessageTemplate> template(String id) {
        return entry(id).map(Entry::template);
    }

    public boolean isRunning(String id) {
        return campaign(id).map(c -> c.state() == CampaignState.RUNNING).orElse(false);
    }

    private Optional<Entry> entry(String id) {
        long now = clock.millis();
        Entry cached = cache.get(id);
        if (cached != null && now - cached.readAt() < freshnessMillis) {
            return Optional.of(cached);
        }
        Optional<Campaign> fresh = store.find(id);
        if (fresh.isEmpty()) {
            cache.remove(id);
            return Optional.empty();
        }
        // Templates never change after submit: keep the compiled ones, refresh only the state.
        MessageTemplate template = cached != null ? cached.template() : MessageTemplate.of(fresh.get());
        Entry entry = new Entry(fresh.get(), template, now);
        cache.put(id, entry);
        return Optional.of(entry);
    }
}
