package io.mailcast.engine;

import io.mailcast.campaign.Campaign;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Supervision's answer to a submit that died while PLANNING: once the planner's lease runs out, the campaign is
 * planned afresh on a virtual thread (planning millions of ids must not hold up the sweeps). A campaign that fails to
 * plan {@value #ATTEMPTS} times in a row is marked FAILED with the last reason, never left PLANNING.
 */
public final class OrphanedPlanning {

    static final int ATTEMPTS = 3;
    private static final Logger log = LoggerFactory.getLogger(OrphanedPlanning.class);

    private final CampaignSubmitter submitter;
    private final String planner;
    private final Set<String> inProgress = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();

    public OrphanedPlanning(CampaignSubmitter submitter, String planner) {
        this.submitter = submitter;
        this.planner = planner;
    }

    void replanIfOrphaned(Campaign campaign) {
        if (!inProgress.add(campaign.id())) {
            return;
        }
        Thread.ofVirtual().name("replan-" + campaign.id()).start(() -> {
            try {
                submitter.replanIfOrphaned(campaign, planner);
                failures.remove(campaign.id());
            } catch (RuntimeException e) {
                int failed = failures.merge(campaign.id(), 1, Integer::sum);
                log.warn("campaign={} planning attempt {} of {} failed: {}", campaign.id(), failed, ATTEMPTS, e.toString());
                if (failed >= ATTEMPTS) {
                    submitter.fail(campaign.id(), e);
                    failures.remove(campaign.id());
                }
            } finally {
                inProgress.remove(campaign.id());
            }
        });
    }
}
