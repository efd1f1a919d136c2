package io.mailcast.engine;

import io.mailcast.campaign.CampaignStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes down, once per campaign on this node, which kind of sender delivers it, so that {@code status} and
 * {@code list} can tell a simulated run from a real one.
 */
final class SenderMarks {

    private static final Logger log = LoggerFactory.getLogger(SenderMarks.class);

    private final CampaignStore campaigns;
    private final String senderKind;
    private final Set<String> marked = ConcurrentHashMap.newKeySet();

    SenderMarks(CampaignStore campaigns, String senderKind) {
        this.campaigns = campaigns;
        this.senderKind = senderKind;
    }

    /** Called as a chunk starts; a store failure is retried by the next chunk rather than stopping this one. */
    void mark(String campaignId) {
        if (!marked.add(campaignId)) {
            return;
        }
        try {
            campaigns.recordSender(campaignId, senderKind);
        } catch (RuntimeException e) {
            marked.remove(campaignId);
            log.warn("campaign={} could not record sender kind {} yet: {}", campaignId, senderKind, e.toString());
        }
    }
}
