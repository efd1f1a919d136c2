package io.mailcast.campaign;

public enum CampaignState {
    /** Submitted; chunks are being written. Nothing is sent yet. */
    PLANNING,
    RUNNING,
    /** Stopped by an operator or by its failure threshold; {@code resume} continues exactly where it stopped. */
    PAUSED,
    COMPLETED,
    /** Stopped for good; the deliveries collection records who was and was not mailed. */
    CANCELLED,
    /** Could not be planned (for example an audience the database refuses); the reason says why. Nothing was sent. */
    FAILED;

    public boolean isFinal() {
        return this == COMPLETED || this == CANCELLED || this == FAILED;
    }
}
