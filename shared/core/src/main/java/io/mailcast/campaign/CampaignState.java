package io.mailcast.campaign;

public enum CampaignState {
    /** Submitted; chunks are being written. Nothing is sent yet. */
    PLANNING,
    RUNNING,
    /** Stopped by an operator or by its failure threshold; {@code resume} continues exactly where it stopped. */
    PAUSED,
    COMPLETED,
    /** Stopped for good; the deliveries collection records who was and was not mailed. */
    CANCELLED;

    public boolean isFinal() {
        return this == COMPLETED || this == CANCELLED;
    }
}
