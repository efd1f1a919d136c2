package io.mailcast.coordinator;

import io.mailcast.campaign.CampaignProgress;
import io.mailcast.campaign.CampaignState;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;

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
        // Drop the oldest only while the next one still spans the window, so that a measured span stays measured.
        while (samples.size() > 2 && nanos - second().nanos() >= windowNanos) {
            samples.removeFirst();
        }
    }

    private Sample second() {
        Iterator<Sample> it = samples.iterator();
        it.next();
        return it.next();
    }

    /**
     * The progress with the windowed rate once the samples span the whole window; until then unchanged (the rate since
     * the start, whose ETA {@link CampaignProgress#of} withholds while that span is short too).
     */
    public CampaignProgress applyTo(CampaignProgress progress) {
        if (samples.size() < 2 || !progress.campaign().state().equals(CampaignState.RUNNING)) {
            return progress;
        }
        Sample first = samples.peekFirst();
        Sample last = samples.peekLast();
        long span = last.nanos() - first.nanos();
        return span < windowNanos ? progress : progress.withRate((last.finished() - first.finished()) / (span / 1e9));
    }
}
