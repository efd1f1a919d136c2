package io.mailcast.coordinator;

import io.mailcast.campaign.CampaignProgress;
import io.mailcast.campaign.CampaignState;

import java.time.Duration;
import java.util.ArrayDeque;

/** Recipients finished per second over a sliding window, for live views. */
public final class RateMeter {

    private record Sample(long nanos, long finished) {
    }

    private final long windowNanos;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    public RateMeter(Duration window) {
        this.windowNanos = window.toNanos();
    }

    public void sample(long nanos, long finished) {
        samples.addLast(new Sample(nanos, finished));
        while (samples.size() > 2 && nanos - samples.peekFirst().nanos() > windowNanos) {
            samples.removeFirst();
        }
    }

    /** The progress with the windowed rate, or unchanged until two samples exist. */
    public CampaignProgress applyTo(CampaignProgress progress) {
        if (samples.size() < 2 || !progress.campaign().state().equals(CampaignState.RUNNING)) {
            return progress;
        }
        Sample first = samples.peekFirst();
        Sample last = samples.peekLast();
        double seconds = (last.nanos() - first.nanos()) / 1e9;
        return seconds <= 0 ? progress : progress.withRate((last.finished() - first.finished()) / seconds);
    }
}
