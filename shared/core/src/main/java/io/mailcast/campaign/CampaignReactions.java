package io.mailcast.campaign;

/**
 * What recipients did after a campaign's messages were accepted: unsubscribed through its link, bounced (a DSN came
 * back; {@code hardBounced} of them for good) or complained (an ARF report).
 */
public record CampaignReactions(long unsubscribed, long bounced, long hardBounced, long complaints) {

    public static final CampaignReactions NONE = new CampaignReactions(0, 0, 0, 0);
}
