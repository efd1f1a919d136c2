package io.mailcast.node;

import io.mailcast.campaign.CampaignStore;
import io.mailcast.cluster.ClusterFigures;
import io.mailcast.message.MessageStatus;
import io.mailcast.store.MongoMessageStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * While this node supervises, copies campaign reactions and per-key send-API figures from MongoDB into the cluster's
 * SQL-visible maps ({@link ClusterFigures}) every interval: campaigns not finished, and those finished within a week
 * (bounces and complaints keep arriving for days).
 */
final class FiguresPublisher implements AutoCloseable {

    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    private static final Duration RECENT = Duration.ofDays(7);
    private static final Logger log = LoggerFactory.getLogger(FiguresPublisher.class);

    private final ClusterFigures figures;
    private final CampaignStore campaigns;
    private final MongoMessageStore messages;
    private final BooleanSupplier supervising;
    private final Clock clock;
    private final Duration interval;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("figures-publisher").daemon().factory());
    private boolean warned;

    FiguresPublisher(ClusterFigures figures, CampaignStore campaigns, MongoMessageStore messages,
                     BooleanSupplier supervising, Clock clock, Duration interval) {
        this.figures = figures;
        this.campaigns = campaigns;
        this.messages = messages;
        this.supervising = supervising;
        this.clock = clock;
        this.interval = interval;
    }

    FiguresPublisher start() {
        executor.scheduleWithFixedDelay(this::publishSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void publishSafely() {
        try {
            if (supervising.getAsBoolean()) {
                publishNow();
            }
            warned = false;
        } catch (RuntimeException e) {
            // Figures for watching only: warn once per outage, and keep the schedule.
            if (!warned) {
                log.warn("could not publish campaign and API key figures: {}", e.toString());
                warned = true;
            }
        }
    }

    void publishNow() {
        Instant now = clock.instant();
        campaigns.reactionsOfUnfinishedOrFinishedSince(now.minus(RECENT))
                .forEach((campaign, reactions) -> figures.campaign(campaign, reactions, now.toEpochMilli()));
        messages.countsByKey().forEach((key, byStatus) -> figures.apiKey(key,
                count(byStatus, MessageStatus.QUEUED) + count(byStatus, MessageStatus.PROCESSING),
                count(byStatus, MessageStatus.SENT), count(byStatus, MessageStatus.FAILED),
                count(byStatus, MessageStatus.CANCELLED), now.toEpochMilli()));
    }

    private static long count(Map<MessageStatus, Long> byStatus, MessageStatus status) {
        return byStatus.getOrDefault(status, 0L);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
