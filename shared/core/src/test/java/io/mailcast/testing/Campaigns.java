package io.mailcast.testing;

import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.subscriber.Audience;
import io.mailcast.validation.ValidationRequirement;

import java.time.Instant;

/**
 * Test campaigns with sensible defaults; change only what a test is about:
 * {@code Campaigns.aCampaign().id("c-1").state(CampaignState.RUNNING).build()}.
 */
public final class Campaigns {

    /** The default {@code createdAt}: 2025-01-01T00:00:00Z, the start of a default {@link SettableClock}. */
    public static final Instant CREATED_AT = SettableClock.DEFAULT_START;

    private Campaigns() {
    }

    public static Builder aCampaign() {
        return new Builder();
    }

    /** A builder starting from an existing campaign. */
    public static Builder from(Campaign c) {
        return new Builder().id(c.id()).subject(c.subject()).from(c.from()).replyTo(c.replyTo())
                .textTemplate(c.textTemplate()).htmlTemplate(c.htmlTemplate()).audience(c.audience())
                .chunkSize(c.chunkSize()).state(c.state()).stateReason(c.stateReason()).eligible(c.eligible())
                .chunks(c.chunks()).createdAt(c.createdAt()).startedAt(c.startedAt()).finishedAt(c.finishedAt())
                .validation(c.validation());
    }

    public static final class Builder {
        private String id = "c-test";
        private String subject = "Hello {{name}}";
        private String from = "News <news@example.com>";
        private String replyTo;
        private String textTemplate = "Hi {{name}}";
        private String htmlTemplate = "<p>Hi {{name}}</p>";
        private Audience audience = Audience.SUBSCRIBED;
        private int chunkSize = 100;
        private CampaignState state = CampaignState.PLANNING;
        private String stateReason;
        private long eligible;
        private int chunks;
        private Instant createdAt = CREATED_AT;
        private Instant startedAt;
        private Instant finishedAt;
        private ValidationRequirement validation;

        private Builder() {
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        public Builder from(String from) {
            this.from = from;
            return this;
        }

        public Builder replyTo(String replyTo) {
            this.replyTo = replyTo;
            return this;
        }

        /** Plain-text body template, {@code null} for none. */
        public Builder textTemplate(String textTemplate) {
            this.textTemplate = textTemplate;
            return this;
        }

        /** HTML body template, {@code null} for none. */
        public Builder htmlTemplate(String htmlTemplate) {
            this.htmlTemplate = htmlTemplate;
            return this;
        }

        public Builder audience(Audience audience) {
            this.audience = audience;
            return this;
        }

        /** Audience from a MongoDB filter in JSON, e.g. {@code {"subscribed": true, "attributes.city": "Lyon"}}. */
        public Builder audience(String filterJson) {
            return audience(new Audience(filterJson));
        }

        public Builder chunkSize(int chunkSize) {
            this.chunkSize = chunkSize;
            return this;
        }

        public Builder state(CampaignState state) {
            this.state = state;
            return this;
        }

        public Builder stateReason(String stateReason) {
            this.stateReason = stateReason;
            return this;
        }

        public Builder eligible(long eligible) {
            this.eligible = eligible;
            return this;
        }

        public Builder chunks(int chunks) {
            this.chunks = chunks;
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder startedAt(Instant startedAt) {
            this.startedAt = startedAt;
            return this;
        }

        public Builder finishedAt(Instant finishedAt) {
            this.finishedAt = finishedAt;
            return this;
        }

        /** The campaign's "confirmed or checked-valid" rule, {@code null} for none. */
        public Builder validation(ValidationRequirement validation) {
            this.validation = validation;
            return this;
        }

        public Campaign build() {
            return new Campaign(id, subject, from, replyTo, textTemplate, htmlTemplate, audience, chunkSize, state,
                    stateReason, eligible, chunks, createdAt, startedAt, finishedAt, validation);
        }
    }
}
